# Seed 002, "asyncio.run".
import asyncio

async def main():
    print('Hello, World!')

asyncio.run(main())
