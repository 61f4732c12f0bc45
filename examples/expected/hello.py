# Seed 001, "Basic asynchronous program" (the seed shows "Goodbye!", but
# its program prints "Goodbye.").
import asyncio

async def main():
    print("Hello, World!")
    await asyncio.sleep(1)#delay execution for 1 second
    print("Goodbye.")

asyncio.run(main())
