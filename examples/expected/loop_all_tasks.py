# Seed 001, "The Event Loop": gather(*all_tasks(loop)).
import asyncio

async def print_nums(num):
    for n in range(num):
        print(n)
        await asyncio.sleep(0.5)#delay for half a second

async def print_letters(up_to):
    for letter in range(97,ord(up_to)):
        print(chr(letter))
        await asyncio.sleep(0.5)#delay for half a second

loop = asyncio.new_event_loop()  # the seed's get_event_loop()
loop.create_task(print_nums(5))
loop.create_task(print_letters('f'))
tasks = asyncio.all_tasks(loop = loop)
group = asyncio.gather(*tasks)
loop.run_until_complete(group)
loop.close()
