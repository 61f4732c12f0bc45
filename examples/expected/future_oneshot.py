# Seed 002, "Using asyncio.Future".
import asyncio

async def set_future(future):
    await asyncio.sleep(1)
    future.set_result('Done!')

async def main():
    future = asyncio.Future()
    await asyncio.create_task(set_future(future))
    result = await future
    print(result)

asyncio.run(main())
