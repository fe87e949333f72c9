"""Tracing and logging setup shared by the Python instrumented test apps.

A TracerProvider and a LoggerProvider, each exporting OTLP/HTTP protobuf through a batch processor to
the endpoints in OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, registered
globally so the instrumentations find them. `workflow` and `run_tool` open the scenario's root span
and the app's own tool span in the attribute convention of the library under test.
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from opentelemetry import _logs, trace
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Status, StatusCode


def require_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise SystemExit(f"{name} must be set")
    return value


def _content_capture_on() -> bool:
    value = os.environ.get("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "").lower()
    return value not in ("", "false", "no_content")


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


# Span attributes each convention uses to mark a workflow root and a tool execution.
CONVENTIONS: dict[str, dict[str, Callable[..., Any]]] = {
    "traceloop": {
        "workflow": lambda name: {
            "traceloop.span.kind": "workflow",
            "traceloop.workflow.name": name,
            "traceloop.entity.name": name,
        },
        "tool": lambda name, call_id, args: {
            "traceloop.span.kind": "tool",
            "traceloop.entity.name": name,
            "traceloop.entity.input": _json(args),
        },
        "tool_output": lambda output: {"traceloop.entity.output": _json(output)},
        "tool_span_name": lambda name: f"{name}.tool",
    },
    "openinference": {
        "workflow": lambda name: {"openinference.span.kind": "CHAIN"},
        "tool": lambda name, call_id, args: {
            "openinference.span.kind": "TOOL",
            "tool.name": name,
            "input.value": _json(args),
            "input.mime_type": "application/json",
        },
        "tool_output": lambda output: {
            "output.value": _json(output),
            "output.mime_type": "application/json",
        },
        "tool_span_name": lambda name: name,
    },
    # OTel GenAI semantic conventions: an execute_tool span; arguments and result only when the
    # app runs with message content capture on, as the conventions make them opt-in.
    "otel": {
        "workflow": lambda name: {},
        "tool": lambda name, call_id, args: {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": name,
            "gen_ai.tool.type": "function",
            **({"gen_ai.tool.call.id": call_id} if call_id else {}),
            **({"gen_ai.tool.call.arguments": _json(args)} if _content_capture_on() else {}),
        },
        "tool_output": lambda output: (
            {"gen_ai.tool.call.result": _json(output)} if _content_capture_on() else {}
        ),
        "tool_span_name": lambda name: f"execute_tool {name}",
    },
}


class Tracing:
    def __init__(self, service_name: str, convention: str) -> None:
        resource = Resource.create({"service.name": service_name, "deployment.environment": "test"})
        self.tracer_provider = TracerProvider(resource=resource)
        self.tracer_provider.add_span_processor(
            BatchSpanProcessor(OTLPSpanExporter(endpoint=require_env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")))
        )
        trace.set_tracer_provider(self.tracer_provider)
        self.logger_provider = LoggerProvider(resource=resource)
        self.logger_provider.add_log_record_processor(
            BatchLogRecordProcessor(OTLPLogExporter(endpoint=require_env("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT")))
        )
        _logs.set_logger_provider(self.logger_provider)
        self.tracer = trace.get_tracer("trace-replay-test-app", "0.1.0")
        self.conv = CONVENTIONS[convention]

    @contextmanager
    def _span(self, name: str, attributes: dict[str, Any]) -> Iterator[trace.Span]:
        with self.tracer.start_as_current_span(
            name, attributes=attributes, record_exception=False, set_status_on_exception=False
        ) as span:
            try:
                yield span
            except BaseException as err:
                span.record_exception(err)
                span.set_status(Status(StatusCode.ERROR, str(err)))
                raise
            span.set_status(Status(StatusCode.OK))

    def workflow(self, name: str) -> Any:
        """Root span of the scenario, so every trace has one root."""
        return self._span("workflow", {**self.conv["workflow"](name), "app.scenario": name})

    def run_tool(self, name: str, call_id: str | None, args: dict[str, Any], fn: Callable[[dict[str, Any]], Any]) -> Any:
        """Runs a tool inside its own span, recording input and output in the convention's attributes."""
        with self._span(self.conv["tool_span_name"](name), self.conv["tool"](name, call_id, args)) as span:
            output = fn(args)
            span.set_attributes(self.conv["tool_output"](output))
            return output

    def shutdown(self) -> None:
        """Flushes and stops both providers (each export waits for the collector's answer)."""
        self.tracer_provider.shutdown()
        self.logger_provider.shutdown()


# The tool every agent scenario offers the model (same as test/apps/otel-setup.cjs).
WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Current weather for a city",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string", "description": "City name"}},
        "required": ["city"],
        "additionalProperties": False,
    },
}

SYSTEM = "You are a concise assistant."


def get_weather(args: dict[str, Any]) -> dict[str, Any]:
    return {"city": args["city"], "forecast": "sunny", "temperatureC": 21}
