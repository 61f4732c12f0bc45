# Seed 002, "Synchronization Primitives" (and "asyncio.Lock", the same
# program with a module-level lock, and the same output).
import asyncio

async def worker(lock, n):
    async with lock:
        print(f'Worker {n} acquired lock')
        await asyncio.sleep(1)
        print(f'Worker {n} released lock')

async def main():
    lock = asyncio.Lock()
    await asyncio.gather(worker(lock, 1), worker(lock, 2))

asyncio.run(main())
