"""Scenarios written against the official openai Python SDK (same requests as test/apps/openai-scenarios.cjs)."""

from __future__ import annotations

import json
import os
from typing import Any, Callable

from tracing_setup import SYSTEM, WEATHER_TOOL, Tracing, get_weather

MODEL = "gpt-4o-mini"


def openai_scenarios(tracing: Tracing) -> dict[str, Callable[[], None]]:
    from openai import OpenAI

    client = OpenAI(api_key=os.environ.get("OPENAI_API_KEY", "sk-test"), base_url=os.environ["OPENAI_BASE_URL"], max_retries=0)
    tools: list[Any] = [{"type": "function", "function": WEATHER_TOOL}]

    def single() -> None:
        client.chat.completions.create(
            model=MODEL,
            temperature=0.3,
            max_tokens=64,
            messages=[
                {"role": "system", "content": SYSTEM},
                {"role": "user", "content": "Name three primary colours."},
            ],
        )

    def chain() -> None:
        first = client.chat.completions.create(
            model=MODEL,
            temperature=0,
            messages=[{"role": "user", "content": "Write a one-line poem about the sea."}],
        )
        poem = first.choices[0].message.content
        client.chat.completions.create(
            model=MODEL,
            temperature=0,
            messages=[{"role": "user", "content": f"Translate to French: {poem}"}],
        )

    def agent() -> None:
        messages: list[Any] = [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": "What is the weather in Paris?"},
        ]
        first = client.chat.completions.create(model=MODEL, temperature=0, messages=messages, tools=tools)
        assistant = first.choices[0].message
        messages.append(assistant.model_dump(exclude_none=True))
        for call in assistant.tool_calls or []:
            result = tracing.run_tool(call.function.name, call.id, json.loads(call.function.arguments), get_weather)
            messages.append({"role": "tool", "tool_call_id": call.id, "content": json.dumps(result, separators=(",", ":"))})
        client.chat.completions.create(model=MODEL, temperature=0, messages=messages, tools=tools)

    def stream() -> None:
        chunks = client.chat.completions.create(
            model=MODEL,
            temperature=0.7,
            max_tokens=100,
            stream=True,
            stream_options={"include_usage": True},
            messages=[
                {"role": "system", "content": SYSTEM},
                {"role": "user", "content": "Tell me a short fact about owls."},
            ],
        )
        text = "".join((c.choices[0].delta.content or "") for c in chunks if c.choices)
        if text == "":
            raise RuntimeError("empty stream")

    def responses() -> None:
        client.responses.create(
            model="gpt-4.1-mini",
            instructions=SYSTEM,
            input="Give me a haiku about autumn.",
            temperature=0.5,
            max_output_tokens=80,
        )

    return {"single": single, "chain": chain, "agent": agent, "stream": stream, "responses": responses}
