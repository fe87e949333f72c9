"""One instrumented Python test app: `python app.py <library> <scenario>`.

<library> names the instrumentation and the SDK it patches (see LIBRARIES). Endpoints come from the
environment: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, OPENAI_BASE_URL,
ANTHROPIC_BASE_URL, GEMINI_BASE_URL (plus the usual *_API_KEY). Content capture follows each
library's own environment variables. Prints one line `VERSIONS <json>` (the installed package
versions) first, and exits 0 only after every span and log record was exported.
"""

from __future__ import annotations

import json
import platform
import sys
import traceback
from importlib import metadata
from typing import Any, Callable

from tracing_setup import Tracing

# library -> (attribute convention, SDK provider, packages whose versions the fixture records)
LIBRARIES: dict[str, tuple[str, str, list[str]]] = {
    "otel-openai": ("otel", "openai", ["opentelemetry-instrumentation-openai-v2", "opentelemetry-util-genai", "openai"]),
    "otel-google-genai": ("otel", "gemini", ["opentelemetry-instrumentation-google-genai", "opentelemetry-util-genai", "google-genai"]),
    "openinference-openai": ("openinference", "openai", ["openinference-instrumentation-openai", "openinference-instrumentation", "openinference-semantic-conventions", "openai"]),
    "openinference-anthropic": ("openinference", "anthropic", ["openinference-instrumentation-anthropic", "openinference-instrumentation", "openinference-semantic-conventions", "anthropic"]),
    "openinference-google-genai": ("openinference", "gemini", ["openinference-instrumentation-google-genai", "openinference-instrumentation", "openinference-semantic-conventions", "google-genai"]),
    "traceloop-openai": ("traceloop", "openai", ["opentelemetry-instrumentation-openai", "opentelemetry-semantic-conventions-ai", "openai"]),
    "traceloop-anthropic": ("traceloop", "anthropic", ["opentelemetry-instrumentation-anthropic", "opentelemetry-semantic-conventions-ai", "anthropic"]),
    "traceloop-google-genai": ("traceloop", "gemini", ["opentelemetry-instrumentation-google-generativeai", "opentelemetry-semantic-conventions-ai", "google-genai"]),
}
COMMON_PACKAGES = [
    "opentelemetry-api",
    "opentelemetry-sdk",
    "opentelemetry-semantic-conventions",
    "opentelemetry-instrumentation",
    "opentelemetry-exporter-otlp-proto-http",
]


def instrument(library: str, tracing: Tracing) -> None:
    providers: dict[str, Any] = {"tracer_provider": tracing.tracer_provider}
    if library == "otel-openai":
        from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor

        OpenAIInstrumentor().instrument(**providers, logger_provider=tracing.logger_provider)
    elif library == "otel-google-genai":
        from opentelemetry.instrumentation.google_genai import GoogleGenAiSdkInstrumentor

        GoogleGenAiSdkInstrumentor().instrument(**providers, logger_provider=tracing.logger_provider)
    elif library == "openinference-openai":
        from openinference.instrumentation.openai import OpenAIInstrumentor as OIOpenAI

        OIOpenAI().instrument(**providers)
    elif library == "openinference-anthropic":
        from anthropic_compat import install_anthropic_1x_stubs
        from openinference.instrumentation.anthropic import AnthropicInstrumentor as OIAnthropic

        stubbed = install_anthropic_1x_stubs()
        if stubbed:
            sys.stderr.write(f"stubbed for openinference-instrumentation-anthropic: {', '.join(stubbed)}\n")
        OIAnthropic().instrument(**providers)
    elif library == "openinference-google-genai":
        from openinference.instrumentation.google_genai import GoogleGenAIInstrumentor

        GoogleGenAIInstrumentor().instrument(**providers)
    elif library == "traceloop-openai":
        from opentelemetry.instrumentation.openai import OpenAIInstrumentor as TLOpenAI

        TLOpenAI().instrument(**providers, logger_provider=tracing.logger_provider)
    elif library == "traceloop-anthropic":
        from opentelemetry.instrumentation.anthropic import AnthropicInstrumentor as TLAnthropic

        TLAnthropic().instrument(**providers, logger_provider=tracing.logger_provider)
    elif library == "traceloop-google-genai":
        from opentelemetry.instrumentation.google_generativeai import GoogleGenerativeAiInstrumentor

        GoogleGenerativeAiInstrumentor().instrument(**providers, logger_provider=tracing.logger_provider)
    else:
        raise AssertionError(library)


def versions(packages: list[str]) -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in packages + COMMON_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def scenarios_for(provider: str, tracing: Tracing) -> dict[str, Callable[[], None]]:
    if provider == "openai":
        from openai_scenarios import openai_scenarios

        return openai_scenarios(tracing)
    if provider == "anthropic":
        from anthropic_scenarios import anthropic_scenarios

        return anthropic_scenarios(tracing)
    from gemini_scenarios import gemini_scenarios

    return gemini_scenarios(tracing)


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] not in LIBRARIES:
        sys.stderr.write(f"usage: app.py <{'|'.join(LIBRARIES)}> <scenario>\n")
        return 2
    library, scenario = sys.argv[1], sys.argv[2]
    convention, provider, packages = LIBRARIES[library]
    print("VERSIONS " + json.dumps(versions(packages)), flush=True)
    tracing = Tracing(f"{library}-python-app", convention)
    instrument(library, tracing)
    scenarios = scenarios_for(provider, tracing)
    run = scenarios.get(scenario)
    if run is None:
        sys.stderr.write(f"unknown scenario {scenario}; expected one of {', '.join(scenarios)}\n")
        return 2
    code = 0
    try:
        with tracing.workflow(scenario):
            run()
    except Exception as err:  # noqa: BLE001 -- reported, and the spans are still flushed
        sys.stderr.write(f"scenario {scenario} failed: {err!r}\n")
        traceback.print_exc()
        code = 1
    tracing.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main())
