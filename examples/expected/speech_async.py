# Seed 000, "Manage async event loop in Python".
import asyncio

async def speech_async():
    print('This asynchronicity!')

loop = asyncio.new_event_loop()  # the seed's get_event_loop(), deprecated outside a loop since 3.12
loop.run_until_complete(speech_async())
loop.close()
