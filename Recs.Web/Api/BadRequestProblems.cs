using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Recs.Web.Api;

/// <summary>
/// The API's one way of reporting a request the framework could not bind: RFC 7807 problem details with the status
/// the framework chose (400 bad JSON, 415 not JSON, 413 too large) and a detail that says what is wrong and where
/// (<c>'use_recs_model' must be true or false</c>). Validation failures of DataAnnotations come from .NET's built-in
/// validation (<c>AddValidation</c>) as problem details too. See ADR-120.
/// </summary>
/// <remarks>
/// Minimal APIs only throw <see cref="BadHttpRequestException"/> (instead of answering a bodiless 400) with
/// <see cref="RouteHandlerOptions.ThrowOnBadRequest"/>, which <see cref="AddApiProblems"/> turns on; this handler runs
/// inside the exception handler middleware, so it answers in every environment.
/// </remarks>
public sealed class BadRequestProblems(IProblemDetailsService problems, IOptions<HttpJsonOptions> json) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
        {
            return false;
        }

        // The middleware has cleared the endpoint by now; the feature keeps the one that failed.
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        var (title, detail) = Describe(bad, endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType);
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = bad.StatusCode, Title = title, Detail = detail },
        });
    }

    /// <summary>A title and a detail for a binding failure; <paramref name="bodyType"/> is the endpoint's body type, if any.</summary>
    public (string Title, string Detail) Describe(BadHttpRequestException bad, Type? bodyType)
    {
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return ("Unsupported media type", "Send the body as application/json, or send no body.");
        }

        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ("Body too large", bad.Message);
        }

        if (bad.InnerException is not JsonException e)
        {
            return ("Bad request", bad.Message);
        }

        // System.Text.Json reports a value of the wrong type as "could not be converted" at the value's JSON path.
        if (!e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            return ("Invalid request body", $"The body is not valid JSON: {e.Message}");
        }

        if (e.Path is null or "$")
        {
            return ("Invalid request body", "The body must be a JSON object" + (bodyType is null ? "." : $" with the fields {Fields(bodyType)}."));
        }

        var field = e.Path.StartsWith("$.", StringComparison.Ordinal) ? e.Path[2..] : e.Path;
        var expected = bodyType is null ? null : Expected(bodyType, field);
        return ("Invalid request body", expected is null
            ? $"'{field}' has the wrong type (at {e.Path}, line {e.LineNumber + 1}, byte {e.BytePositionInLine})."
            : $"'{field}' must be {expected}.");
    }

    private JsonTypeInfo Info(Type type) => json.Value.SerializerOptions.GetTypeInfo(type);

    private string Fields(Type type) => string.Join(", ", Info(type).Properties.Select(p => $"'{p.Name}'"));

    private string? Expected(Type type, string field)
    {
        var property = Info(type).Properties.FirstOrDefault(p => p.Name == field);
        if (property is null)
        {
            return null;
        }

        var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return t == typeof(bool) ? "true or false"
            : t == typeof(string) ? "a string"
            : t.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(t))
            : t.IsPrimitive || t == typeof(decimal) ? "a number"
            : "a JSON " + (Info(t).Kind == JsonTypeInfoKind.Enumerable ? "array" : "object");
    }
}

public static class ApiProblemsExtensions
{
    /// <summary>
    /// Problem details for every API error: built-in DataAnnotations validation of endpoint parameters and bodies
    /// (.NET 10 <c>AddValidation</c>), and <see cref="BadRequestProblems"/> for bodies the framework cannot bind.
    /// </summary>
    public static IServiceCollection AddApiProblems(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddValidation();
        services.AddExceptionHandler<BadRequestProblems>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>
    /// Problem details for what the framework itself refuses under <paramref name="prefix"/> (a body it cannot bind,
    /// 415 for a body that is not JSON, validation failures, bodiless error statuses), and a blank body read as none.
    /// </summary>
    public static IApplicationBuilder UseApiProblems(this IApplicationBuilder app, PathString prefix) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments(prefix), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
            api.UseBlankBodyAsNone();
        });

    /// <summary>
    /// A body of only whitespace counts as no body (the API contract: "a missing body means the defaults"), which
    /// System.Text.Json would otherwise reject as "no JSON tokens". Only small bodies are looked at.
    /// </summary>
    public static IApplicationBuilder UseBlankBodyAsNone(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (request.ContentLength is > 0 and <= 1024)
        {
            request.EnableBuffering();
            using var reader = new StreamReader(request.Body, leaveOpen: true);
            var text = await reader.ReadToEndAsync(context.RequestAborted);
            if (string.IsNullOrWhiteSpace(text))
            {
                request.Body = Stream.Null;
                request.ContentLength = 0;
                context.Features.Set<IHttpRequestBodyDetectionFeature>(new NoBody());
            }
            else
            {
                request.Body.Position = 0;
            }
        }

        await next(context);
    });

    private sealed class NoBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => false;
    }
}
