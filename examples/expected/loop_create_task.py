# Seed 001, "The Event Loop": tasks created on a loop, gathered, and run
# with run_until_complete.
import asyncio

async def print_evens(num):
    for i in range(num):
        if i % 2 == 0:
            print(i)
        await asyncio.sleep(0.5)#delay for half a second

async def print_odds(num):
    for i in range(num):
        if i % 2 == 1:
            print(i)
        await asyncio.sleep(0.5)#delay for half a second

loop = asyncio.new_event_loop()  # the seed's get_event_loop()
task1 = loop.create_task(print_evens(10))
task2 = loop.create_task(print_odds(10))
group = asyncio.gather(task1, task2)
loop.run_until_complete(group)
