// The subset of the OpenTelemetry protocol messages needed to decode OTLP/HTTP trace and log
// requests and encode their responses, as a protobufjs JSON descriptor. No installed package ships
// a decoder: @opentelemetry/otlp-transformer only has a hand-written request encoder and response
// decoder.
//
// Derived from opentelemetry-proto (https://github.com/open-telemetry/opentelemetry-proto):
// opentelemetry/proto/common/v1/common.proto, resource/v1/resource.proto, trace/v1/trace.proto,
// collector/trace/v1/trace_service.proto, logs/v1/logs.proto, collector/logs/v1/logs_service.proto
// (LogRecord.severity_number is an enum there; int32 has the same varint wire form). Copyright The
// OpenTelemetry Authors, licensed under the Apache License, Version 2.0. google.rpc.Status from googleapis (google/rpc/status.proto),
// Copyright Google LLC, Apache License, Version 2.0.
//
// Field numbers and wire types are exact; fields we never read (dropped counts, trace_state,
// flags, schema_url) are left out, which protobuf decoding treats as unknown fields and skips.
// The packages are flattened into one namespace: package names never appear on the wire.
// Field names are lowerCamelCase so decoded messages come out in OTLP/JSON shape.

import type protobuf from 'protobufjs';

const descriptor: protobuf.INamespace = {
  nested: {
    otlp: {
      nested: {
        // common/v1/common.proto
        AnyValue: {
          oneofs: {
            value: {
              oneof: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'],
            },
          },
          fields: {
            stringValue: { type: 'string', id: 1 },
            boolValue: { type: 'bool', id: 2 },
            intValue: { type: 'int64', id: 3 },
            doubleValue: { type: 'double', id: 4 },
            arrayValue: { type: 'ArrayValue', id: 5 },
            kvlistValue: { type: 'KeyValueList', id: 6 },
            bytesValue: { type: 'bytes', id: 7 },
          },
        },
        ArrayValue: { fields: { values: { rule: 'repeated', type: 'AnyValue', id: 1 } } },
        KeyValueList: { fields: { values: { rule: 'repeated', type: 'KeyValue', id: 1 } } },
        KeyValue: { fields: { key: { type: 'string', id: 1 }, value: { type: 'AnyValue', id: 2 } } },
        InstrumentationScope: {
          fields: {
            name: { type: 'string', id: 1 },
            version: { type: 'string', id: 2 },
            attributes: { rule: 'repeated', type: 'KeyValue', id: 3 },
          },
        },
        // resource/v1/resource.proto
        Resource: { fields: { attributes: { rule: 'repeated', type: 'KeyValue', id: 1 } } },
        // trace/v1/trace.proto
        ResourceSpans: {
          fields: {
            resource: { type: 'Resource', id: 1 },
            scopeSpans: { rule: 'repeated', type: 'ScopeSpans', id: 2 },
            // Reserved since OTLP 0.19; pre-0.19 exporters still send it.
            instrumentationLibrarySpans: { rule: 'repeated', type: 'InstrumentationLibrarySpans', id: 1000 },
          },
        },
        ScopeSpans: {
          fields: {
            scope: { type: 'InstrumentationScope', id: 1 },
            spans: { rule: 'repeated', type: 'Span', id: 2 },
          },
        },
        InstrumentationLibrarySpans: {
          fields: {
            instrumentationLibrary: { type: 'InstrumentationScope', id: 1 },
            spans: { rule: 'repeated', type: 'Span', id: 2 },
          },
        },
        Span: {
          fields: {
            traceId: { type: 'bytes', id: 1 },
            spanId: { type: 'bytes', id: 2 },
            parentSpanId: { type: 'bytes', id: 4 },
            name: { type: 'string', id: 5 },
            kind: { type: 'SpanKind', id: 6 },
            startTimeUnixNano: { type: 'fixed64', id: 7 },
            endTimeUnixNano: { type: 'fixed64', id: 8 },
            attributes: { rule: 'repeated', type: 'KeyValue', id: 9 },
            events: { rule: 'repeated', type: 'SpanEvent', id: 11 },
            links: { rule: 'repeated', type: 'SpanLink', id: 13 },
            status: { type: 'Status', id: 15 },
          },
        },
        SpanKind: {
          values: {
            SPAN_KIND_UNSPECIFIED: 0,
            SPAN_KIND_INTERNAL: 1,
            SPAN_KIND_SERVER: 2,
            SPAN_KIND_CLIENT: 3,
            SPAN_KIND_PRODUCER: 4,
            SPAN_KIND_CONSUMER: 5,
          },
        },
        // Span.Event
        SpanEvent: {
          fields: {
            timeUnixNano: { type: 'fixed64', id: 1 },
            name: { type: 'string', id: 2 },
            attributes: { rule: 'repeated', type: 'KeyValue', id: 3 },
          },
        },
        // Span.Link
        SpanLink: {
          fields: {
            traceId: { type: 'bytes', id: 1 },
            spanId: { type: 'bytes', id: 2 },
            attributes: { rule: 'repeated', type: 'KeyValue', id: 4 },
          },
        },
        Status: {
          fields: {
            message: { type: 'string', id: 2 },
            code: { type: 'StatusCode', id: 3 },
          },
        },
        StatusCode: { values: { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 } },
        // collector/trace/v1/trace_service.proto
        ExportTraceServiceRequest: { fields: { resourceSpans: { rule: 'repeated', type: 'ResourceSpans', id: 1 } } },
        ExportTraceServiceResponse: { fields: { partialSuccess: { type: 'ExportTracePartialSuccess', id: 1 } } },
        ExportTracePartialSuccess: {
          fields: {
            rejectedSpans: { type: 'int64', id: 1 },
            errorMessage: { type: 'string', id: 2 },
          },
        },
        // logs/v1/logs.proto
        ResourceLogs: {
          fields: {
            resource: { type: 'Resource', id: 1 },
            scopeLogs: { rule: 'repeated', type: 'ScopeLogs', id: 2 },
          },
        },
        ScopeLogs: {
          fields: {
            scope: { type: 'InstrumentationScope', id: 1 },
            logRecords: { rule: 'repeated', type: 'LogRecord', id: 2 },
          },
        },
        LogRecord: {
          fields: {
            timeUnixNano: { type: 'fixed64', id: 1 },
            severityNumber: { type: 'int32', id: 2 },
            severityText: { type: 'string', id: 3 },
            body: { type: 'AnyValue', id: 5 },
            attributes: { rule: 'repeated', type: 'KeyValue', id: 6 },
            traceId: { type: 'bytes', id: 9 },
            spanId: { type: 'bytes', id: 10 },
            observedTimeUnixNano: { type: 'fixed64', id: 11 },
            eventName: { type: 'string', id: 12 },
          },
        },
        // collector/logs/v1/logs_service.proto
        ExportLogsServiceRequest: { fields: { resourceLogs: { rule: 'repeated', type: 'ResourceLogs', id: 1 } } },
        ExportLogsServiceResponse: { fields: { partialSuccess: { type: 'ExportLogsPartialSuccess', id: 1 } } },
        ExportLogsPartialSuccess: {
          fields: {
            rejectedLogRecords: { type: 'int64', id: 1 },
            errorMessage: { type: 'string', id: 2 },
          },
        },
        // google/rpc/status.proto (details omitted: we never send any)
        RpcStatus: {
          fields: {
            code: { type: 'int32', id: 1 },
            message: { type: 'string', id: 2 },
          },
        },
      },
    },
  },
};

export interface OtlpProtoTypes {
  exportTraceServiceRequest: protobuf.Type;
  exportTraceServiceResponse: protobuf.Type;
  exportLogsServiceRequest: protobuf.Type;
  exportLogsServiceResponse: protobuf.Type;
  rpcStatus: protobuf.Type;
}

let types: OtlpProtoTypes | undefined;

/** Builds the protobufjs types once, on first use. */
export function otlpProtoTypes(): OtlpProtoTypes {
  if (types === undefined) {
    // protobufjs is loaded with the first protobuf body, not when a command starts.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the lazy load described above
    const { Root } = require('protobufjs') as typeof protobuf;
    const root = Root.fromJSON(descriptor);
    types = {
      exportTraceServiceRequest: root.lookupType('otlp.ExportTraceServiceRequest'),
      exportTraceServiceResponse: root.lookupType('otlp.ExportTraceServiceResponse'),
      exportLogsServiceRequest: root.lookupType('otlp.ExportLogsServiceRequest'),
      exportLogsServiceResponse: root.lookupType('otlp.ExportLogsServiceResponse'),
      rpcStatus: root.lookupType('otlp.RpcStatus'),
    };
  }
  return types;
}
