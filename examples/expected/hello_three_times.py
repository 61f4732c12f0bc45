# Seed 000, "Sleeping".
import asyncio

async def main():
    for _ in range(3):
        await asyncio.sleep(1)
        print ("Hello")

asyncio.run(main())
