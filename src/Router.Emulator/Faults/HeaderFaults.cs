using Microsoft.AspNetCore.Http;
using System.Globalization;

namespace Router.Emulator.Faults;

/// <summary>
/// Reads a one-off fault from request headers, for callers that control their own headers:
/// <c>x-emulator-fault: 429|500|503|timeout|malformed|down|delay=250</c> and <c>x-emulator-retry-after: 2</c>.
/// </summary>
public static class HeaderFaults
{
    public const string FaultHeader = "x-emulator-fault";
    public const string RetryAfterHeader = "x-emulator-retry-after";

    /// <summary>Null when the request asks for no fault; throws nothing on junk, which reads as a bad request.</summary>
    public static bool TryRead(IHeaderDictionary headers, out ActiveFault? fault)
    {
        ArgumentNullException.ThrowIfNull(headers);
        fault = null;
        var value = headers[FaultHeader].ToString();
        if (value.Length == 0)
        {
            return true;
        }

        var span = value.AsSpan().Trim();
        var delayMs = ActiveFault.DefaultDelayMs;
        var equals = span.IndexOf('=');
        if (equals >= 0)
        {
            if (!int.TryParse(span[(equals + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out delayMs))
            {
                return false;
            }

            span = span[..equals];
        }

        if (!FaultKindNames.TryParse(span, out var kind))
        {
            return false;
        }

        var retryAfter = ActiveFault.DefaultRetryAfterSeconds;
        var retryAfterValue = headers[RetryAfterHeader].ToString();
        if (retryAfterValue.Length > 0
            && !int.TryParse(retryAfterValue, NumberStyles.None, CultureInfo.InvariantCulture, out retryAfter))
        {
            return false;
        }

        fault = new ActiveFault(kind, count: 1, retryAfter, delayMs);
        return true;
    }
}
