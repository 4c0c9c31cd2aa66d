using System.Globalization;

namespace Router.Core.Distillation;

/// <summary>
/// How numbers read in reasons: invariant culture (reports are read by people in any locale and
/// diffed by machines), thousands separators, and "needs N more" rounded up so meeting N is enough.
/// </summary>
internal static class ReasonFormat
{
    /// <summary>Rounded up, with separators: 4099.2 -> "4,100".</summary>
    public static string NeededCount(decimal value) =>
        Math.Ceiling(value).ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>Rounded to the nearest whole, with separators.</summary>
    public static string Count(decimal value) =>
        Math.Round(value, MidpointRounding.AwayFromZero).ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>Days to one decimal: "6.7".</summary>
    public static string Days(decimal value) =>
        value.ToString("#,0.#", CultureInfo.InvariantCulture);

    /// <summary>Per-call money keeps small digits: "$0.000129".</summary>
    public static string UsdPerCall(decimal value) =>
        "$" + value.ToString("#,0.######", CultureInfo.InvariantCulture);

    /// <summary>Daily money to the cent: "$1,234.56".</summary>
    public static string Usd(decimal value) =>
        (value < 0 ? "-$" : "$") + Math.Abs(value).ToString("#,0.00", CultureInfo.InvariantCulture);

    /// <summary>A rate as a percentage to one decimal: "2.5%".</summary>
    public static string Percent(decimal rate) =>
        (rate * 100m).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>A share as a whole percentage: "61%".</summary>
    public static string WholePercent(decimal share) =>
        Math.Round(share * 100m, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A rate to one decimal below 10, whole above: "0.5", "77", "1,850".</summary>
    public static string Rate(decimal value) =>
        value < 10m ? value.ToString("0.#", CultureInfo.InvariantCulture) : Count(value);

    /// <summary>A span of hours as a person says it: "12 minutes", "1.2 hours", "3.5 days".</summary>
    public static string Span(decimal hours)
    {
        if (hours < 1m)
        {
            var minutes = Math.Max(1m, Math.Round(hours * 60m, MidpointRounding.AwayFromZero));
            return minutes.ToString("0", CultureInfo.InvariantCulture) + (minutes == 1m ? " minute" : " minutes");
        }

        return hours < 48m
            ? hours.ToString("0.#", CultureInfo.InvariantCulture) + (hours == 1m ? " hour" : " hours")
            : (hours / 24m).ToString("0.#", CultureInfo.InvariantCulture) + " days";
    }

    public static string Date(DateOnly date) =>
        date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
