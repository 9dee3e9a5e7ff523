import assert from "node:assert/strict";
import { type Coroutine, coroutine } from "./coroutine.ts";

function* minimizeGen(): Generator<number | undefined, never, number> {
  let current = yield;
  while (true) {
    const value = yield current;
    current = Math.min(value, current);
  }
}

Deno.test("coroutine() reproduces the seed's my_coroutine", () => {
  const printed: string[] = [];
  const myCoroutine = coroutine(function* (): Generator<void, never, string> {
    while (true) {
      const received = yield;
      printed.push(`Received: ${received}`);
    }
  });
  const it = myCoroutine();
  assert.deepEqual(printed, []);
  it.send("First");
  it.send("Second");
  assert.deepEqual(printed, ["Received: First", "Received: Second"]);
});

Deno.test("coroutine() reproduces the seed's minimize: 10, 4, 4, -1", () => {
  const it = coroutine(minimizeGen)();
  assert.deepEqual([it.send(10), it.send(4), it.send(22), it.send(-1)], [10, 4, 4, -1]);
  assert.equal(it.done, false);
});

Deno.test("coroutine() primes the generator: the body runs to its first yield on the call", () => {
  const log: string[] = [];
  const make = coroutine(function* (): Generator<string, void, string> {
    log.push("started");
    const a = yield "first";
    log.push(`got ${a}`);
  });
  const c = make();
  assert.deepEqual(log, ["started"]);
  assert.equal(c.send("x"), undefined);
  assert.deepEqual(log, ["started", "got x"]);
});

Deno.test("coroutine() passes arguments and this through to the generator function", () => {
  const obj = {
    base: 100,
    adder: coroutine(function* (
      this: { base: number },
      start: number,
    ): Generator<number, never, number> {
      let total = this.base + start;
      while (true) total += yield total;
    }),
  };
  const c = obj.adder(5);
  assert.equal(c.send(1), 106);
  assert.equal(c.send(4), 110);
});

Deno.test("Coroutine.send() returns undefined when the generator returns, then keeps the result", () => {
  const make = coroutine(function* (): Generator<void, string, string> {
    const a = yield;
    const b = yield;
    return a + b;
  });
  const c = make();
  assert.equal(c.result, undefined);
  c.send("a");
  assert.equal(c.send("b"), undefined);
  assert.equal(c.done, true);
  assert.equal(c.result, "ab");
});

Deno.test("Coroutine.send() on a finished coroutine throws a TypeError", () => {
  const c = coroutine(function* (): Generator<void, number, void> {
    yield;
    return 1;
  })();
  c.send();
  assert.throws(() => c.send(), {
    name: "TypeError",
    message: "Cannot send to coroutine: it has already finished",
  });
  assert.throws(() => c.throw(new Error("x")), {
    name: "TypeError",
    message: "Cannot throw into coroutine: it has already finished",
  });
  assert.equal(c.result, 1);
});

Deno.test("coroutine() whose generator returns before yielding is done at once", () => {
  // deno-lint-ignore require-yield
  const c = coroutine(function* (): Generator<never, number, unknown> {
    return 7;
  })();
  assert.equal(c.done, true);
  assert.equal(c.result, 7);
  assert.throws(() => c.send(1), TypeError);
});

Deno.test("coroutine() call throws what the generator throws before its first yield", () => {
  // deno-lint-ignore require-yield
  const make = coroutine(function* (): Generator<void, void, void> {
    throw new Error("early");
  });
  assert.throws(() => make(), { message: "early" });
});

Deno.test("Coroutine.send() rethrows the generator's error and finishes the coroutine", () => {
  const c = coroutine(function* (): Generator<void, void, number> {
    while (true) {
      if ((yield) < 0) throw new RangeError("negative");
    }
  })();
  c.send(1);
  assert.throws(() => c.send(-1), RangeError);
  assert.equal(c.done, true);
  assert.equal(c.result, undefined);
  assert.throws(() => c.send(1), /already finished/);
});

Deno.test("Coroutine.throw() raises inside the generator, which may catch it and yield", () => {
  const c = coroutine(function* (): Generator<string, void, string> {
    let last = "";
    while (true) {
      try {
        last = yield last;
      } catch (error) {
        last = `caught ${(error as Error).message}`;
      }
    }
  })();
  assert.equal(c.send("a"), "a");
  assert.equal(c.throw(new Error("oops")), "caught oops");
  assert.equal(c.done, false);
  const uncaught = coroutine(minimizeGen)();
  const error = new Error("not caught");
  assert.throws(() => uncaught.throw(error), (e) => e === error);
  assert.equal(uncaught.done, true);
});

Deno.test("Coroutine.throw() that makes the generator return sets the result", () => {
  const c = coroutine(function* (): Generator<void, string, void> {
    try {
      yield;
    } catch {
      return "stopped";
    }
    return "normal";
  })();
  assert.equal(c.throw(new Error("stop")), undefined);
  assert.equal(c.result, "stopped");
});

Deno.test("Coroutine.close() runs finally blocks and is idempotent", () => {
  const log: string[] = [];
  const c = coroutine(function* (): Generator<void, void, void> {
    try {
      try {
        while (true) yield;
      } finally {
        log.push("inner");
      }
    } finally {
      log.push("outer");
    }
  })();
  c.close();
  assert.deepEqual(log, ["inner", "outer"]);
  assert.equal(c.done, true);
  c.close();
  assert.deepEqual(log, ["inner", "outer"]);
  assert.throws(() => c.send(), TypeError);
});

Deno.test("Coroutine.close() keeps a value returned from a finally block", () => {
  const c = coroutine(function* (): Generator<void, string, void> {
    try {
      yield;
      return "never";
    } finally {
      // deno-lint-ignore no-unsafe-finally
      return "from finally";
    }
  })();
  c.close();
  assert.equal(c.result, "from finally");
});

Deno.test("Coroutine.close() throws if a finally block yields, like Python", () => {
  const c = coroutine(function* (): Generator<string, void, void> {
    try {
      yield "running";
    } finally {
      yield "refusing to stop";
    }
  })();
  assert.throws(() => c.close(), { message: /yielded from a finally block/ });
  assert.equal(c.done, false);
});

Deno.test("Coroutine.close() rethrows an error from a finally block and finishes", () => {
  const c = coroutine(function* (): Generator<void, void, void> {
    try {
      yield;
    } finally {
      // deno-lint-ignore no-unsafe-finally
      throw new Error("cleanup failed");
    }
  })();
  assert.throws(() => c.close(), { message: "cleanup failed" });
  assert.equal(c.done, true);
});

Deno.test("Coroutine is closed at the end of a using block", () => {
  let closed = false;
  const make = coroutine(function* (): Generator<void, void, void> {
    try {
      while (true) yield;
    } finally {
      closed = true;
    }
  });
  {
    using _c = make();
  }
  assert.equal(closed, true);
});

Deno.test("coroutine() refuses anything but a generator function, naming 'genFn'", () => {
  const bad: unknown[] = [
    undefined,
    null,
    42,
    "function*",
    {},
    () => {},
    function plain() {},
    async function* agen() {},
    async () => {},
    class {},
    (function* () {})(),
  ];
  for (const value of bad) {
    assert.throws(
      // deno-lint-ignore no-explicit-any
      () => coroutine(value as any),
      (e: unknown) =>
        e instanceof TypeError && /'genFn' must be a generator function/.test(e.message),
      String(value),
    );
  }
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => coroutine(function plain() {} as any),
    { message: "coroutine(): 'genFn' must be a generator function (function*), got a function" },
  );
});

Deno.test("coroutine() types flow from the generator: send takes TSend, returns TYield", () => {
  const c: Coroutine<number | undefined, number, never> = coroutine(minimizeGen)();
  const y: number | undefined = c.send(3);
  const _neverCalled = () => {
    // @ts-expect-error: the coroutine takes numbers, so `deno check` refuses a string
    c.send("3");
  };
  assert.equal(y, 3);
  const r = coroutine(function* (): Generator<string, boolean, Date> {
    yield "x";
    return true;
  })();
  const result: boolean | undefined = r.result;
  assert.equal(result, undefined);
});

Deno.test("Coroutine.send() from inside its own generator is refused, leaving the coroutine intact", () => {
  const ref: { self?: Coroutine<number, number, never> } = {};
  let refused: unknown;
  const echo = coroutine(function* (): Generator<number, never, number> {
    let n = yield 0;
    while (true) {
      if (n === 2) {
        try {
          ref.self?.send(99); // re-entrant: Python raises "generator already executing"
        } catch (error) {
          refused = error;
        }
      }
      n = yield n * 10;
    }
  });
  const self = ref.self = echo();
  assert.equal(self.send(1), 10);
  assert.equal(self.send(2), 20);
  assert.ok(refused instanceof TypeError);
  assert.match((refused as TypeError).message, /already running/);
  assert.equal(self.done, false);
  assert.equal(self.send(3), 30); // still alive and where it was
});

// From CPython's Lib/test/test_generators.py (coroutine_tests, pep_tests), as far as they apply.

Deno.test("Coroutine.throw() and Coroutine.close() from inside its own generator are refused too", () => {
  const ref: { self?: Coroutine<number, string, void> } = {};
  const refused: unknown[] = [];
  const c = coroutine(function* (): Generator<number, void, string> {
    let command = yield 0;
    while (true) {
      try {
        if (command === "throw") ref.self?.throw(new Error("inner"));
        if (command === "close") ref.self?.close();
      } catch (error) {
        refused.push(error);
      }
      command = yield refused.length;
    }
  });
  const self = ref.self = c();
  assert.equal(self.send("throw"), 1);
  assert.equal(self.send("close"), 2);
  for (const error of refused) {
    assert.ok(error instanceof TypeError);
    assert.match(error.message, /already running/);
  }
  assert.equal(self.done, false);
  assert.equal(self.send("nothing"), 2);
});

Deno.test("Coroutine.send() after the generator threw finishes with a TypeError (Python: StopIteration)", () => {
  const c = coroutine(function* (): Generator<void, void, void> {
    while (true) {
      try {
        yield;
      } catch (error) {
        if (error instanceof TypeError) throw error;
      }
    }
  })();
  c.throw(new RangeError("caught and ignored"));
  assert.equal(c.done, false);
  const fatal = new TypeError("terminates");
  assert.throws(() => c.throw(fatal), (e) => e === fatal);
  assert.equal(c.done, true);
  assert.throws(() => c.send(), { message: /already finished/ });
  assert.throws(() => c.throw(new Error("6")), { message: /already finished/ });
});

Deno.test("Coroutine.close() skips catch blocks: only finally runs (Python: GeneratorExit is not an Exception)", () => {
  const log: string[] = [];
  const c = coroutine(function* (): Generator<void, void, void> {
    try {
      yield;
    } catch {
      log.push("catch");
    } finally {
      log.push("finally");
    }
  })();
  c.close();
  assert.deepEqual(log, ["finally"]);
  assert.equal(c.done, true);
});

Deno.test("Coroutine.close() of a coroutine that finished while priming does nothing", () => {
  // deno-lint-ignore require-yield
  const c = coroutine(function* (): Generator<void, number, void> {
    return 3;
  })();
  c.close();
  c.close();
  assert.equal(c.done, true);
  assert.equal(c.result, 3);
});

Deno.test("Coroutine.close() again after a finally yielded finishes the coroutine, like Python", () => {
  const log: string[] = [];
  const c = coroutine(function* (): Generator<string, void, void> {
    try {
      yield "running";
    } finally {
      yield "refusing to stop"; // Python: RuntimeError "generator ignored GeneratorExit"
      log.push("not reached");
    }
  })();
  assert.throws(() => c.close(), Error);
  assert.equal(c.done, false);
  c.close(); // the return lands at the yield in the finally block, which now ends
  assert.equal(c.done, true);
  assert.deepEqual(log, []);
  c.close();
});

Deno.test("Coroutine.close() refusing to stop leaves the coroutine usable at its new yield", () => {
  const c = coroutine(function* (): Generator<string, void, string> {
    try {
      yield "running";
    } finally {
      const last = yield "refusing to stop";
      yield `got ${last}`;
    }
  })();
  assert.throws(() => c.close(), { message: /yielded from a finally block/ });
  assert.equal(c.send("x"), "got x");
});

Deno.test("Coroutine.send() of a value that is itself an error or iterator result is returned as is", () => {
  // Python's test_return_stopiteration: sending StopIteration(2) makes it the return value.
  const c = coroutine(function* (): Generator<void, unknown, unknown> {
    return yield;
  })();
  const sent = { done: true, value: 2 };
  assert.equal(c.send(sent), undefined);
  assert.equal(c.result, sent);
  const d = coroutine(function* (): Generator<void, unknown, unknown> {
    return yield;
  })();
  const error = new Error("a value, not thrown");
  d.send(error);
  assert.equal(d.result, error);
});

Deno.test("Coroutine.throw() accepts any value, as JavaScript's throw does (Python: exceptions only)", () => {
  const caught: unknown[] = [];
  const c = coroutine(function* (): Generator<void, never, void> {
    while (true) {
      try {
        yield;
      } catch (value) {
        caught.push(value);
      }
    }
  })();
  c.throw("abc");
  c.throw(0);
  c.throw(undefined);
  assert.deepEqual(caught, ["abc", 0, undefined]);
});

Deno.test("Coroutine.throw() that the generator turns into another error finishes it with that error", () => {
  const c = coroutine(function* (): Generator<void, void, void> {
    try {
      yield;
    } catch (error) {
      throw new RangeError("wrapped", { cause: error });
    }
  })();
  const original = new TypeError("original");
  assert.throws(() => c.throw(original), (e) => e instanceof RangeError && e.cause === original);
  assert.equal(c.done, true);
});

Deno.test("Coroutine: an error raised inside a delegated generator propagates, and the coroutine cannot resume", () => {
  function* inner(): Generator<void, number, number> {
    const n = yield;
    if (n === 0) throw new RangeError("division by zero");
    return 1 / n;
  }
  const c = coroutine(function* (): Generator<void, void, number> {
    while (true) {
      yield* inner();
    }
  })();
  c.send(2);
  assert.throws(() => c.send(0), RangeError);
  assert.throws(() => c.send(1), { message: /already finished/ });
});
