using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Router.Core.Distillation.Reporting;

/// <summary>
/// POSTs each run as JSON to <c>Router:Distillation:WebhookUrl</c> through the named HttpClient
/// <see cref="HttpClientName"/> (standard resilience handler: retries on 5xx/408/429/timeouts with
/// backoff, an attempt timeout and a total deadline). A failing webhook never fails the report:
/// the outcome is logged and returned, never thrown.
/// </summary>
public sealed partial class DistillationWebhook(IHttpClientFactory clients, IOptions<DistillationOptions> options, ILogger<DistillationWebhook> logger)
{
    public const string HttpClientName = "distillation-webhook";

    /// <summary>Same value on every attempt of one run, so a receiver can drop a duplicate after an ambiguous timeout.</summary>
    public const string ReportIdHeader = "x-router-report-id";

    /// <summary>True when delivered, false when it failed, null when no webhook is configured.</summary>
    public async Task<bool?> DeliverAsync(DistillationRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var url = options.Value.WebhookUrl;
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = JsonContent.Create(run, options: DistillationJson.Options),
            };
            request.Headers.Add(ReportIdHeader, run.GeneratedAt.UtcDateTime.ToString("yyyyMMddTHHmmssfffZ", CultureInfo.InvariantCulture));
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                LogDelivered(logger, run.Reports.Count);
                return true;
            }

            LogFailed(logger, $"HTTP {(int)response.StatusCode}");
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever the receiver does (refuse, hang, vanish), the report itself stands.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(logger, ex.GetType().Name);
            return false;
        }
    }

    /// <summary>
    /// POSTs one route event (an automatic rollback) to the same webhook as <c>{"event": "rolled-back", ...}</c>,
    /// with the same resilience; never throws. True when delivered, false when it failed, null when no webhook is configured.
    /// </summary>
    public async Task<bool?> DeliverEventAsync(Promotion.RouteOverrideEvent step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var url = options.Value.WebhookUrl;
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = JsonContent.Create(new { @event = step.Kind, step.Task, step.At, step.By, step.Candidate, step.Model, step.Version, step.Reason, step.Evidence }, options: DistillationJson.Options),
            };
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            LogFailed(logger, $"HTTP {(int)response.StatusCode}");
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever the receiver does, the rollback itself stands.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(logger, ex.GetType().Name);
            return false;
        }
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Distillation report ({Tasks} tasks) delivered to the webhook")]
    private static partial void LogDelivered(ILogger logger, int tasks);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "Distillation report not delivered to the webhook ({Cause}); the report is stored regardless")]
    private static partial void LogFailed(ILogger logger, string cause);
}
