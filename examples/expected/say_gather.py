# Seed 002, "Running Multiple Coroutines".
import asyncio

async def say(text, delay):
    await asyncio.sleep(delay)
    print(text)

async def main():
    await asyncio.gather(say('Hello', 1), say('World', 2))

asyncio.run(main())
