# Seed 000, "Creating Tasks".
import asyncio
import time

async def execute(delay, value):
    await asyncio.sleep(delay)
    print(value)

async def main():
    # Using asyncio.create_task() method to run coroutines concurrently as asyncio tasks
    task1 = asyncio.create_task(execute(1, 'hello'))
    task2 = asyncio.create_task(execute(2, 'world'))
    print(f"started {time.strftime('%X')}")
    # Wait until both tasks are completed (should take around 2 seconds.)
    await task1
    await task2
    print(f"finished {time.strftime('%X')}")

asyncio.run(main())
