# Seed 002, "asyncio.Future".
import asyncio

async def set_future_value(fut):
    await asyncio.sleep(1)
    fut.set_result('Future is done!')

async def main():
    fut = asyncio.Future()
    await asyncio.create_task(set_future_value(fut))
    print(await fut)

asyncio.run(main())
