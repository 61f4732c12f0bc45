# Seed 002, "asyncio.Semaphore".
import asyncio

semaphore = asyncio.Semaphore(2)

async def worker(n):
    async with semaphore:
        print(f'Worker {n} acquired semaphore')
        await asyncio.sleep(1)
        print(f'Worker {n} released semaphore')

async def main():
    await asyncio.gather(worker(1), worker(2), worker(3))

asyncio.run(main())
