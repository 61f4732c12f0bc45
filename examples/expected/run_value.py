# Seed 001, "Running Coroutines".
import asyncio

async def func():
    return 10

coro = func()
print(asyncio.run(coro))
