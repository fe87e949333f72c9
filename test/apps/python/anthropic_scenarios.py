"""Scenarios written against the official anthropic Python SDK (same requests as test/apps/anthropic-scenarios.cjs).

anthropic 1.x dropped `temperature` from Messages.create's keyword arguments (the JS SDK 1.x also
dropped it from its types but sends unknown fields along), so it travels in `extra_body`: the wire
request is the same, but an instrumentation that reads the call's keyword arguments does not see it.
"""

from __future__ import annotations

import json
import os
from typing import Any, Callable

from tracing_setup import SYSTEM, WEATHER_TOOL, Tracing, get_weather

MODEL = "claude-haiku-4-5"


def _text_of(message: Any) -> str:
    return "".join(b.text for b in message.content if b.type == "text")


def anthropic_scenarios(tracing: Tracing) -> dict[str, Callable[[], None]]:
    from anthropic import Anthropic

    client = Anthropic(api_key=os.environ.get("ANTHROPIC_API_KEY", "sk-ant-test"), base_url=os.environ["ANTHROPIC_BASE_URL"], max_retries=0)
    tools: list[Any] = [
        {"name": WEATHER_TOOL["name"], "description": WEATHER_TOOL["description"], "input_schema": WEATHER_TOOL["parameters"]}
    ]

    def single() -> None:
        client.messages.create(
            model=MODEL,
            max_tokens=64,
            extra_body={"temperature": 0.3},
            system=SYSTEM,
            messages=[{"role": "user", "content": "Name three primary colours."}],
        )

    def chain() -> None:
        first = client.messages.create(
            model=MODEL,
            max_tokens=64,
            messages=[{"role": "user", "content": "Write a one-line poem about the sea."}],
        )
        client.messages.create(
            model=MODEL,
            max_tokens=64,
            messages=[{"role": "user", "content": f"Translate to French: {_text_of(first)}"}],
        )

    def agent() -> None:
        messages: list[Any] = [{"role": "user", "content": "What is the weather in Paris?"}]
        first = client.messages.create(model=MODEL, max_tokens=256, system=SYSTEM, messages=messages, tools=tools, extra_body={"temperature": 0})
        messages.append({"role": "assistant", "content": [b.model_dump(exclude_none=True) for b in first.content]})
        results: list[Any] = []
        for block in first.content:
            if block.type != "tool_use":
                continue
            result = tracing.run_tool(block.name, block.id, dict(block.input), get_weather)
            results.append({"type": "tool_result", "tool_use_id": block.id, "content": json.dumps(result, separators=(",", ":"))})
        messages.append({"role": "user", "content": results})
        client.messages.create(model=MODEL, max_tokens=256, system=SYSTEM, messages=messages, tools=tools, extra_body={"temperature": 0})

    def stream() -> None:
        events = client.messages.create(
            model=MODEL,
            max_tokens=100,
            extra_body={"temperature": 0.7},
            stream=True,
            system=SYSTEM,
            messages=[{"role": "user", "content": "Tell me a short fact about owls."}],
        )
        text = ""
        for event in events:
            if event.type == "content_block_delta" and event.delta.type == "text_delta":
                text += event.delta.text
        if text == "":
            raise RuntimeError("empty stream")

    return {"single": single, "chain": chain, "agent": agent, "stream": stream}
