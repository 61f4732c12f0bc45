# Seed 002, "asyncio.Event".
import asyncio

event = asyncio.Event()

async def waiter():
    print('Waiting for event...')
    await event.wait()
    print('Event received!')

async def main():
    asyncio.create_task(waiter())
    await asyncio.sleep(2)
    event.set()

asyncio.run(main())
