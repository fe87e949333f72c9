"""Scenarios written against the official google-genai Python SDK (Gemini API): the same conversations
as the OpenAI and Anthropic scenarios, in Gemini's shapes (system_instruction, function declarations,
function responses sent back as a user turn)."""

from __future__ import annotations

import os
from typing import Any, Callable

from tracing_setup import SYSTEM, WEATHER_TOOL, Tracing, get_weather

MODEL = "gemini-2.5-flash"


def gemini_scenarios(tracing: Tracing) -> dict[str, Callable[[], None]]:
    from google import genai
    from google.genai import types

    client = genai.Client(
        api_key=os.environ.get("GEMINI_API_KEY", "gemini-test"),
        http_options=types.HttpOptions(base_url=os.environ["GEMINI_BASE_URL"]),
    )
    tools = [
        types.Tool(
            function_declarations=[
                types.FunctionDeclaration(
                    name=WEATHER_TOOL["name"],
                    description=WEATHER_TOOL["description"],
                    parameters_json_schema=WEATHER_TOOL["parameters"],
                )
            ]
        )
    ]
    # The declarations are not Python callables, so the SDK's automatic function calling never runs.

    def single() -> None:
        client.models.generate_content(
            model=MODEL,
            contents="Name three primary colours.",
            config=types.GenerateContentConfig(system_instruction=SYSTEM, temperature=0.3, max_output_tokens=64),
        )

    def chain() -> None:
        first = client.models.generate_content(
            model=MODEL,
            contents="Write a one-line poem about the sea.",
            config=types.GenerateContentConfig(temperature=0),
        )
        client.models.generate_content(
            model=MODEL,
            contents=f"Translate to French: {first.text}",
            config=types.GenerateContentConfig(temperature=0),
        )

    def agent() -> None:
        config = types.GenerateContentConfig(system_instruction=SYSTEM, temperature=0, tools=tools)
        contents: list[Any] = [types.Content(role="user", parts=[types.Part.from_text(text="What is the weather in Paris?")])]
        first = client.models.generate_content(model=MODEL, contents=contents, config=config)
        model_turn = first.candidates[0].content
        contents.append(model_turn)
        responses: list[Any] = []
        for call in first.function_calls or []:
            result = tracing.run_tool(call.name, call.id, dict(call.args or {}), get_weather)
            responses.append(types.Part.from_function_response(name=call.name, response=result))
        contents.append(types.Content(role="user", parts=responses))
        client.models.generate_content(model=MODEL, contents=contents, config=config)

    def stream() -> None:
        chunks = client.models.generate_content_stream(
            model=MODEL,
            contents="Tell me a short fact about owls.",
            config=types.GenerateContentConfig(system_instruction=SYSTEM, temperature=0.7, max_output_tokens=100),
        )
        text = "".join(c.text or "" for c in chunks)
        if text == "":
            raise RuntimeError("empty stream")

    return {"single": single, "chain": chain, "agent": agent, "stream": stream}
