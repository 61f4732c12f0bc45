# Seed 002, "asyncio.sleep".
import asyncio

async def main():
    print('Sleeping for 1 second...')
    await asyncio.sleep(1)
    print('Awake!')

asyncio.run(main())
