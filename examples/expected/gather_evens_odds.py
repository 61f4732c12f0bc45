# Seed 001, "Running multiple coroutines simultaneously".
import asyncio

async def task1():
    for i in range(10):
        if i % 2 == 0:
            print(i)
        await asyncio.sleep(0.1) # cause a small delay

async def task2():
    for i in range(10):
        if i % 2 == 1:
            print(i)
        await asyncio.sleep(0.1) # cause a small delay

async def main():
    await asyncio.gather( task1(), task2())
    print("Finished")

asyncio.run(main())
