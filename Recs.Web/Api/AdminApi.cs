using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Recs.Core.Jobs;
using Recs.Core.Models;
using Recs.Core.Prediction;
using Recs.Web.Authentication;
using Recs.Web.Jobs;

namespace Recs.Web.Api;

/// <summary>
/// Admin endpoints under <c>/admin/api</c> (all behind the Admin policy): start jobs (uploads are streamed to the data
/// directory first), list and inspect them, cancel, pause and resume. The admin pages call <see cref="JobService"/>
/// directly; these endpoints are for scripts.
/// </summary>
/// <remarks>
/// Cross-site forgery: every POST must carry a non-"simple" content type (<c>application/json</c> for commands,
/// <c>text/csv</c> or <c>application/octet-stream</c> for uploads), which a browser only sends cross-site after a CORS
/// preflight that this app never grants. See ADR-070.
/// Command bodies are bound and validated by the framework (.NET 10 <c>AddValidation</c>, the DataAnnotations on the
/// parameter records); every error is RFC 7807 problem details: a validation problem naming the field, or
/// <see cref="BadRequestProblems"/> for a body that cannot be bound. See ADR-111.
/// </remarks>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/admin/api")
            .RequireAuthorization(RecsPolicies.Admin)
            .WithTags("Admin");

        api.MapGet("/jobs", ListJobsAsync);
        api.MapGet("/jobs/{id:guid}", GetJobAsync);

        var commands = api.MapGroup("/jobs").AddEndpointFilter(RequireNonSimpleContentType);
        commands.MapPost("/import-catalog", UploadCatalogAsync);
        commands.MapPost("/import-artist-genres", UploadArtistGenresAsync);
        commands.MapPost("/enrichment", StartEnrichmentAsync);
        commands.MapPost("/training", StartTrainingAsync);
        commands.MapPost("/fetch-features", StartFeatureFetchAsync);
        commands.MapPost("/{id:guid}/cancel", CancelAsync);
        commands.MapPost("/{id:guid}/pause", PauseAsync);
        commands.MapPost("/{id:guid}/resume", ResumeAsync);

        api.MapGet("/models", ListModelsAsync);
        var models = api.MapGroup("/models").AddEndpointFilter(RequireNonSimpleContentType);
        models.MapPost("/{id}/activate", ActivateModelAsync);
        models.MapPost("/rollback", RollbackModelAsync);
        return app;
    }

    public static async Task<JsonHttpResult<IReadOnlyList<JobSnapshot>>> ListJobsAsync(JobService jobs, CancellationToken cancellationToken) =>
        Json(await jobs.ListAsync(50, cancellationToken));

    public static async Task<Results<JsonHttpResult<JobSnapshot>, NotFound>> GetJobAsync(Guid id, JobService jobs, CancellationToken cancellationToken) =>
        await jobs.GetAsync(id, cancellationToken) is { } job ? Json(job) : TypedResults.NotFound();

    public static Task<Results<JsonHttpResult<JobSnapshot>, ProblemHttpResult>> UploadCatalogAsync(
        HttpRequest request, [FromQuery(Name = "file_name")] string? fileName, JobService jobs, JobUploads uploads, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        UploadAndStartAsync(request, fileName, jobs, uploads, user, (p, n) => new ImportCatalogParameters(p, n), cancellationToken);

    public static Task<Results<JsonHttpResult<JobSnapshot>, ProblemHttpResult>> UploadArtistGenresAsync(
        HttpRequest request, [FromQuery(Name = "file_name")] string? fileName, JobService jobs, JobUploads uploads, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        UploadAndStartAsync(request, fileName, jobs, uploads, user, (p, n) => new ImportArtistGenresParameters(p, n), cancellationToken);

    /// <summary>Starts the job; a missing body means the defaults (the framework binds and validates the body).</summary>
    public static Task<Results<JsonHttpResult<JobSnapshot>, ProblemHttpResult>> StartEnrichmentAsync(
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] EnrichmentParameters? parameters, JobService jobs, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        StartAsync(parameters ?? new(), jobs, user, cancellationToken);

    /// <summary>Starts the job; a missing body means the defaults (the framework binds and validates the body).</summary>
    public static Task<Results<JsonHttpResult<JobSnapshot>, ProblemHttpResult>> StartFeatureFetchAsync(
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] FeatureFetchParameters? parameters, JobService jobs, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        StartAsync(parameters ?? new(), jobs, user, cancellationToken);

    /// <summary>Starts the job; a missing body means the defaults (the framework binds and validates the body).</summary>
    public static Task<Results<JsonHttpResult<JobSnapshot>, ProblemHttpResult>> StartTrainingAsync(
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] TrainingParameters? parameters, JobService jobs, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        StartAsync(parameters ?? new(), jobs, user, cancellationToken);

    public static async Task<Results<JsonHttpResult<JobSnapshot>, NotFound, ProblemHttpResult>> CancelAsync(Guid id, JobService jobs, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await CommandAsync(await jobs.CancelAsync(id, user.ActingAs(), cancellationToken), jobs, cancellationToken);

    public static async Task<Results<JsonHttpResult<JobSnapshot>, NotFound, ProblemHttpResult>> PauseAsync(Guid id, JobService jobs, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await CommandAsync(await jobs.PauseAsync(id, user.ActingAs(), cancellationToken), jobs, cancellationToken);

    public static async Task<Results<JsonHttpResult<JobSnapshot>, NotFound, ProblemHttpResult>> ResumeAsync(Guid id, JobService jobs, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await CommandAsync(await jobs.ResumeAsync(id, user.ActingAs(), cancellationToken), jobs, cancellationToken);

    /// <summary>Every model version, newest first, with its metrics.</summary>
    public static async Task<JsonHttpResult<IEnumerable<ModelVersionJson>>> ListModelsAsync(ModelRegistry registry, CancellationToken cancellationToken) =>
        Json((await registry.ListAsync(cancellationToken)).Select(ModelVersionJson.From));

    public static async Task<Results<JsonHttpResult<ModelVersionJson>, NotFound, ProblemHttpResult>> ActivateModelAsync(
        string id, ModelRegistry registry, CancellationToken cancellationToken)
    {
        try
        {
            return Json(ModelVersionJson.From((await registry.ActivateAsync(id, cancellationToken)).Version));
        }
        catch (KeyNotFoundException)
        {
            return TypedResults.NotFound();
        }
        catch (InvalidDataException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "Version cannot be loaded");
        }
    }

    public static async Task<Results<JsonHttpResult<ModelVersionJson>, ProblemHttpResult>> RollbackModelAsync(ModelRegistry registry, CancellationToken cancellationToken)
    {
        try
        {
            return Json(ModelVersionJson.From((await registry.RollbackAsync(cancellationToken)).Version));
        }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "Nothing to roll back to");
        }
    }

    private static async Task<Results<JsonHttpResult<JobSnapshot>, ProblemHttpResult>> UploadAndStartAsync<TParameters>(
        HttpRequest request, string? fileName, JobService jobs, JobUploads uploads, ClaimsPrincipal user,
        Func<string, string, TParameters> parameters, CancellationToken cancellationToken)
        where TParameters : IUploadJobParameters
    {
        if (request.ContentLength > uploads.MaxBytes)
        {
            return TooLarge(uploads.MaxBytes);
        }

        SavedUpload saved;
        try
        {
            saved = await uploads.SaveAsync(request.Body, fileName ?? "upload.csv", cancellationToken);
        }
        catch (UploadTooLargeException ex)
        {
            return TooLarge(ex.Limit);
        }

        if (saved.Bytes == 0)
        {
            File.Delete(saved.Path);
            return TypedResults.Problem("The uploaded file is empty.", statusCode: StatusCodes.Status400BadRequest);
        }

        var result = await StartAsync(parameters(saved.Path, saved.FileName), jobs, user, cancellationToken);
        if (result.Result is ProblemHttpResult)
        {
            File.Delete(saved.Path);
        }

        return result;
    }

    private static async Task<Results<JsonHttpResult<JobSnapshot>, ProblemHttpResult>> StartAsync<TParameters>(
        TParameters parameters, JobService jobs, ClaimsPrincipal user, CancellationToken cancellationToken)
        where TParameters : IJobParameters
    {
        var result = await jobs.StartAsync(parameters, user.ActingAs(), cancellationToken);
        if (!result.Ok)
        {
            return TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Job not started",
                extensions: new Dictionary<string, object?> { ["job_id"] = result.JobId });
        }

        var job = await jobs.GetAsync(result.JobId!.Value, cancellationToken);
        return Json(job!, StatusCodes.Status202Accepted);
    }

    private static async Task<Results<JsonHttpResult<JobSnapshot>, NotFound, ProblemHttpResult>> CommandAsync(JobCommandResult result, JobService jobs, CancellationToken cancellationToken)
    {
        if (result.NotFound)
        {
            return TypedResults.NotFound();
        }

        if (!result.Ok)
        {
            return TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict);
        }

        return Json((await jobs.GetAsync(result.JobId!.Value, cancellationToken))!);
    }

    private static JsonHttpResult<T> Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(value, JobJson.Options, statusCode: statusCode);

    private static ProblemHttpResult TooLarge(long limit) => TypedResults.Problem(
        new UploadTooLargeException(limit).Message, statusCode: StatusCodes.Status413PayloadTooLarge);

    private static async ValueTask<object?> RequireNonSimpleContentType(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var contentType = context.HttpContext.Request.ContentType ?? "";
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not ("application/json" or "text/csv" or "application/octet-stream"))
        {
            return TypedResults.Problem(
                "Send application/json (commands) or text/csv / application/octet-stream (uploads).",
                statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        return await next(context);
    }
}

/// <summary>A model version as the admin API shows it (metrics as the raw metrics JSON object).</summary>
public sealed record ModelVersionJson(
    string Id, DateTimeOffset CreatedAt, string CreatedBy, int K, int Seed, string Trainer, int TrainingTracks, bool IsDemo,
    bool IsActive, DateTimeOffset? ActivatedAt, System.Text.Json.Nodes.JsonNode? Metrics)
{
    public static ModelVersionJson From(ModelVersion v) => new(
        v.Id, v.CreatedAt, v.CreatedBy, v.K, v.Seed, v.Trainer, v.TrainingTracks, v.IsDemo, v.IsActive, v.ActivatedAt,
        System.Text.Json.Nodes.JsonNode.Parse(string.IsNullOrWhiteSpace(v.MetricsJson) ? "{}" : v.MetricsJson));
}
