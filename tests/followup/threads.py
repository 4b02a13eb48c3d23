"""Calls run in threads released at the same moment: real concurrent transactions."""

import threading

from django.db import connections


def at_once(*calls) -> list:
    """Run each call in its own thread (and database connection), all released together;
    returns what each call returned or the exception it raised, in the calls' order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the caller asserts on it
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def told(results, *, refusal, done="done") -> list[str]:
    """The results in the calls' order: ``done`` for a call that returned, the message of the
    ``refusal`` it raised otherwise; any other exception is raised again."""
    for result in results:
        if isinstance(result, Exception) and not isinstance(result, refusal):
            raise result
    return [str(r) if isinstance(r, refusal) else done for r in results]


def outcomes(results, *, refusal, done) -> list[str]:
    """The results sorted as ``done`` or "refused" (the call raised ``refusal``); any other
    exception is raised again."""
    told(results, refusal=refusal)  # raises any other exception
    return sorted("refused" if isinstance(r, refusal) else done for r in results)
