"""The chapter's Python samples (Effective Python, items 36-41), run on this machine.

`deno task bench:report` runs this when python3 is on PATH and puts its figures beside ours.
Each measure prints one line `key: value` (seconds unless the key says otherwise).
"""
import subprocess
import sys
import tracemalloc
from collections import deque
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import cpu_count
from queue import Queue
from threading import Barrier, Lock, Thread
from time import sleep, time


def item36():
    start = time()
    procs = [subprocess.Popen(["sleep", "0.1"]) for _ in range(10)]
    for proc in procs:
        proc.communicate()
    print("36.parallel: %.3f" % (time() - start))
    start = time()
    for _ in range(10):
        subprocess.Popen(["sleep", "0.1"]).communicate()
    print("36.serial: %.3f" % (time() - start))


def factorize(number):
    for i in range(1, number + 1):
        if number % i == 0:
            yield i


def item37():
    numbers = [2139079, 1214759, 1516637, 1852285]
    start = time()
    for number in numbers:
        list(factorize(number))
    print("37.serial: %.3f" % (time() - start))
    start = time()
    threads = [Thread(target=lambda n=n: list(factorize(n))) for n in numbers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("37.threads: %.3f" % (time() - start))


class Counter:
    def __init__(self):
        self.count = 0

    def increment(self, offset):
        self.count += offset


class LockingCounter:
    def __init__(self):
        self.lock = Lock()
        self.count = 0

    def increment(self, offset):
        with self.lock:
            self.count += offset


def item38():
    how_many = 10**5
    for key, counter in (("racy", Counter()), ("locked", LockingCounter())):
        barrier = Barrier(5)

        def worker():
            barrier.wait()
            for _ in range(how_many):
                counter.increment(1)

        threads = [Thread(target=worker) for _ in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print("38.%s count: %d" % (key, counter.count))


def item39():
    class MyQueue:
        def __init__(self):
            self.items = deque()
            self.lock = Lock()

        def put(self, item):
            with self.lock:
                self.items.append(item)

        def get(self):
            with self.lock:
                return self.items.popleft()

    class Worker(Thread):
        def __init__(self, in_queue, out_queue):
            super().__init__()
            self.in_queue, self.out_queue = in_queue, out_queue
            self.polled_count = 0

        def run(self):
            while True:
                self.polled_count += 1
                try:
                    item = self.in_queue.get()
                except IndexError:
                    sleep(0.01)
                except AttributeError:
                    return
                else:
                    self.out_queue.put(item)

    queues = [MyQueue() for _ in range(4)]
    threads = [Worker(queues[i], queues[i + 1]) for i in range(3)]
    for t in threads:
        t.start()
    for _ in range(1000):
        queues[0].put(object())
    while len(queues[3].items) < 1000:
        sleep(0.1)
    for t in threads:
        t.in_queue = None
    for t in threads:
        t.join()
    print("39.polls: %d" % sum(t.polled_count for t in threads))


def item40():
    def my_coroutine():
        while True:
            received = yield
            del received

    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    coros = []
    for _ in range(100_000):
        it = my_coroutine()
        next(it)
        coros.append(it)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print("40.bytes per coroutine: %d" % ((after - before) / len(coros)))


def gcd(pair):
    a, b = pair
    low = min(a, b)
    for i in range(low, 0, -1):
        if a % i == 0 and b % i == 0:
            return i


def item41():
    numbers = [(1963309, 2265973), (2030677, 3814172), (1551645, 2229620), (2039045, 2020802)]
    start = time()
    list(map(gcd, numbers))
    print("41.serial: %.3f" % (time() - start))
    start = time()
    with ThreadPoolExecutor(max_workers=cpu_count()) as pool:
        list(pool.map(gcd, numbers))
    print("41.threads: %.3f" % (time() - start))
    start = time()
    with ProcessPoolExecutor(max_workers=cpu_count()) as pool:
        list(pool.map(gcd, numbers))
    print("41.processes: %.3f" % (time() - start))


if __name__ == "__main__":
    print("python: %s" % sys.version.split()[0])
    for item in (item36, item37, item38, item39, item40, item41):
        item()
        sys.stdout.flush()
