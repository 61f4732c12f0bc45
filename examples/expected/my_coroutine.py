# Seed 004, "Defining Coroutines" run by "The Event Loop".
import asyncio

async def my_coroutine():
    print("Start Coroutine")
    await asyncio.sleep(2)
    print("Coroutine resumed after 2 seconds")

asyncio.run(my_coroutine())
