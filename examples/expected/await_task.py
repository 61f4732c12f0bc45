# Seed 001, "The await keyword".
import asyncio

async def task():
    for i in range(10):
        print(i)

async def main():
    await task()
    print("Finished")

asyncio.run(main())
