# Seed 000, "Example" (its first program).
import asyncio

async def main():
    print ("Waiting seconds.")
    for _ in range(5):
        await asyncio.sleep(1)
        print ("Hello")
    print ("Finished waiting.")

asyncio.run(main())
