# Seed 004, "Concurrency".
import asyncio

async def my_coroutine():
    print("Start Coroutine")
    await asyncio.sleep(2)
    print("Coroutine resumed after 2 seconds")

async def main():
    coro1 = my_coroutine()
    coro2 = my_coroutine()
    await asyncio.gather(coro1, coro2)

asyncio.run(main())
