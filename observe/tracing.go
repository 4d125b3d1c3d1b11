package observe

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// scope is the instrumentation scope of the spans.
const scope = "github.com/innograph/innograph"

// ServiceName is the service.name of the spans, unless OTEL_SERVICE_NAME
// or OTEL_RESOURCE_ATTRIBUTES says otherwise.
const ServiceName = "innograph"

// tracers holds the tracer of each TracerProvider used, by provider.
var tracers sync.Map

// TracerOf is the tracer of tp for this module's spans; nil tp is the
// global TracerProvider (a no-op one unless Tracing set one up).
func TracerOf(tp trace.TracerProvider) trace.Tracer {
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	if t, ok := tracers.Load(tp); ok {
		return t.(trace.Tracer)
	}
	t, _ := tracers.LoadOrStore(tp, tp.Tracer(scope))
	return t.(trace.Tracer)
}

// ChildSpan starts a span under the span of ctx, with that span's
// TracerProvider: none (a no-op span) when ctx holds no recording span.
func ChildSpan(ctx context.Context, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	parent := trace.SpanFromContext(ctx)
	if !parent.IsRecording() {
		return ctx, parent
	}
	return TracerOf(parent.TracerProvider()).Start(ctx, name, opts...)
}

// TracingEnabled tells whether the environment (getenv) asks for traces:
// an OTLP endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) or OTEL_TRACES_EXPORTER is otlp,
// and neither OTEL_SDK_DISABLED is true nor OTEL_TRACES_EXPORTER none.
// Only OTLP over HTTP with protobuf is supported: another protocol or
// exporter is an error.
func TracingEnabled(getenv func(string) string) (bool, error) {
	if strings.EqualFold(strings.TrimSpace(getenv("OTEL_SDK_DISABLED")), "true") {
		return false, nil
	}
	exporter := strings.TrimSpace(getenv("OTEL_TRACES_EXPORTER"))
	switch exporter {
	case "none":
		return false, nil
	case "", "otlp":
	default:
		return false, fmt.Errorf("OTEL_TRACES_EXPORTER=%q: only otlp (or none) is supported", exporter)
	}
	for _, v := range []string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"} {
		if p := strings.TrimSpace(getenv(v)); p != "" {
			if p != "http/protobuf" {
				return false, fmt.Errorf("%s=%q: only http/protobuf is supported", v, p)
			}
			break
		}
	}
	return exporter == "otlp" || getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "", nil
}

// Tracing sets up the global TracerProvider from the standard OTEL_*
// environment variables when they ask for traces (see TracingEnabled):
// spans are batched and exported by OTLP/HTTP to the configured endpoint
// (OTEL_EXPORTER_OTLP_ENDPOINT, _HEADERS, _TIMEOUT, … and their _TRACES_
// forms), sampled as OTEL_TRACES_SAMPLER says (all by default, a
// parent's decision kept), with the resource of OTEL_SERVICE_NAME and
// OTEL_RESOURCE_ATTRIBUTES; W3C trace context is read from requests.
// When they do not ask for traces it does nothing and enabled is false.
// shutdown flushes the spans not yet exported and stops the exporter.
func Tracing(ctx context.Context, log *slog.Logger) (shutdown func(context.Context) error, enabled bool, err error) {
	nothing := func(context.Context) error { return nil }
	if enabled, err = TracingEnabled(os.Getenv); err != nil || !enabled {
		return nothing, false, err
	}
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nothing, false, fmt.Errorf("OTLP trace exporter: %w", err)
	}
	res, err := resource.New(ctx,
		resource.WithAttributes(attribute.String("service.name", ServiceName)),
		resource.WithTelemetrySDK(), resource.WithFromEnv())
	if err != nil {
		return nothing, false, fmt.Errorf("trace resource: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		log.Warn("exporting traces", "err", err)
	}))
	return tp.Shutdown, true, nil
}
