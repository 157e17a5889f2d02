"""Drive `vantage mcp` with the reference MCP client: the Python SDK's stdio
client and session, as an agent's host would.

Lists the tools, calls each one (the SDK validates every structured result
against the tool's output schema), asks `impact` before and after an edit
to a copy of the repository, and checks that a bad question comes back as a
tool error the server survives.

    .bench/peers/venv/bin/python bench/mcp_client.py [REPO] [--file F] [--edit G --line L]

REPO defaults to fixtures/polyglot (copied to a temporary folder: the
script edits it). Exits 1 on any failure.
"""

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def field(obj, snake, camel):
    """SDK 2 names fields in snake case, SDK 1 as on the wire."""
    return getattr(obj, snake) if hasattr(obj, snake) else getattr(obj, camel)


def structured(result):
    if field(result, "is_error", "isError"):
        raise SystemExit(f"tool error: {result.content[0].text}")
    data = field(result, "structured_content", "structuredContent")
    # The text block carries the same answer for clients without
    # structured content.
    assert json.loads(result.content[0].text) == data
    return data


async def main(args):
    binary = os.path.join(ROOT, "target", "release", "vantage")
    params = StdioServerParameters(command=binary, args=["mcp", args.repo])
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            info = field(init, "server_info", "serverInfo")
            print(f"server {info.name} {info.version}, protocol {field(init, 'protocol_version', 'protocolVersion')}")
            tools = (await session.list_tools()).tools
            print("tools:", ", ".join(t.name for t in tools))
            expected = {"impact", "callers", "callees", "tests_for", "dependencies",
                        "dependents", "cycles", "coupling", "duplicates", "check",
                        "flags_list", "flags_complete", "routes", "trace", "models"}
            assert {t.name for t in tools} == expected, [t.name for t in tools]
            for tool in tools:
                assert field(tool, "input_schema", "inputSchema")["type"] == "object", tool.name
                assert field(tool, "output_schema", "outputSchema"), tool.name

            clock = time.perf_counter()
            before = structured(await session.call_tool("impact", {"file": args.file, "limit": 10}))
            print(f"impact {args.file}: {before['risk']} "
                  f"({(time.perf_counter() - clock) * 1e3:.0f} ms, the first call waits for the analysis)")
            for name, arguments in [
                ("dependencies", {"file": args.file}),
                ("dependents", {"file": args.file, "limit": 5}),
                ("cycles", {"limit": 3}),
                ("coupling", {"limit": 5}),
                ("duplicates", {"file": args.file, "limit": 3}),
                ("duplicates", {"near": True, "min_tokens": 20, "limit": 3}),
                ("check", {"limit": 5}),
                ("routes", {"limit": 5}),
                ("models", {"limit": 5}),
            ]:
                clock = time.perf_counter()
                data = structured(await session.call_tool(name, arguments))
                took = (time.perf_counter() - clock) * 1e3
                print(f"{name} {json.dumps(arguments)}: {len(json.dumps(data))} bytes, "
                      f"truncated {data['truncated']}, {took:.1f} ms")

            # The edit: the edited file now imports the target.
            edited = os.path.join(args.repo, args.edit)
            original = open(edited, encoding="utf-8").read()
            with open(edited, "a", encoding="utf-8") as f:
                f.write("\n" + args.line + "\n")
            try:
                clock = time.perf_counter()
                after = structured(await session.call_tool("impact", {"file": args.file, "limit": 10}))
                took = (time.perf_counter() - clock) * 1e3
            finally:
                open(edited, "w", encoding="utf-8").write(original)
            print(f"after editing {args.edit}: {after['risk']} "
                  f"(reparsed {after['freshness'].get('reparsed')}, {took:.1f} ms)")
            assert after["freshness"].get("reparsed") == [args.edit], after["freshness"]
            assert after["risk"] != before["risk"] or after.get("impacted_total") != before.get("impacted_total")

            bad = await session.call_tool("impact", {"file": "no/such/file.py"})
            assert field(bad, "is_error", "isError"), bad
            print("bad question:", bad.content[0].text)
            # Still serving.
            again = structured(await session.call_tool("impact", {"file": args.file, "limit": 10}))
            assert again["risk"] == before["risk"], (again["risk"], before["risk"])
            print("ok")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", nargs="?", default=os.path.join(ROOT, "fixtures", "polyglot"))
    parser.add_argument("--file", default="backend/shop/auth/tokens.py")
    parser.add_argument("--edit", default="backend/shop/payments/__init__.py",
                        help="a file to edit (in a copy of REPO, never REPO itself)")
    parser.add_argument("--line", default="from shop.auth import tokens",
                        help="the line appended to --edit: an import of --file makes a new dependent")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="vantage-mcp-")
    copy = os.path.join(scratch, "repo")
    shutil.copytree(args.repo, copy, ignore=shutil.ignore_patterns(".vantage", ".git"))
    args.repo = copy
    try:
        asyncio.run(main(args))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
