"""Time `trace` over a warm `vantage mcp` session, as an agent asks it:
the reference MCP client (Python SDK) lists the endpoints of a real
application, then traces each one (or every Nth), and prints the median,
the 95th percentile and the slowest answer, after the session is warm.

    .bench/peers/venv/bin/python bench/routes/trace_latency.py ROOT [--config F] [--every N]

The goal of issue 21: every trace in 100 ms or less, warm.
"""

import argparse
import asyncio
import json
import os
import statistics
import time

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

HERE = os.path.dirname(os.path.abspath(__file__))
BINARY = os.path.join(os.path.dirname(os.path.dirname(HERE)), "target", "release", "vantage")


def data(result):
    if getattr(result, "isError", False) or getattr(result, "is_error", False):
        raise SystemExit(f"tool error: {result.content[0].text}")
    return json.loads(result.content[0].text)


async def main(args):
    argv = ["mcp", args.root, "--quiet"] + (["--config", args.config] if args.config else [])
    params = StdioServerParameters(command=BINARY, args=argv)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            clock = time.perf_counter()
            routes = data(await session.call_tool("routes", {"limit": 100000}))["routes"]
            print(f"{len(routes)} endpoints (first answer, with the analysis: "
                  f"{(time.perf_counter() - clock):.1f} s)")
            asked = [f"{','.join(r['methods']).split(',')[0].replace('*', 'GET')} {r['path']}"
                     for r in routes if r["handler"]][:: args.every]
            times = []
            for endpoint in asked:
                clock = time.perf_counter()
                answer = data(await session.call_tool("trace", {"endpoint": endpoint}))
                times.append((time.perf_counter() - clock) * 1e3)
                assert answer["traces"], endpoint
            times.sort()
            p95 = times[int(len(times) * 0.95) - 1] if len(times) > 1 else times[0]
            print(f"trace x{len(times)}: median {statistics.median(times):.1f} ms, "
                  f"p95 {p95:.1f} ms, slowest {times[-1]:.1f} ms "
                  f"(client round trip included)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("--config")
    parser.add_argument("--every", type=int, default=1)
    asyncio.run(main(parser.parse_args()))
