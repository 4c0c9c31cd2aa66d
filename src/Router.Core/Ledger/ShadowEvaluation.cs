namespace Router.Core.Ledger;

/// <summary>
/// The evaluation carried by a shadow call's record. <see cref="Scored"/> is false when there was
/// nothing to compare (the shadow call failed, or the reference broke the output rules); then the
/// call counts as made and paid for, but not as a sample.
/// </summary>
/// <param name="Candidate">The candidate's name, or <c>live:{model}</c> for the large shadow slice of a route served by that model.</param>
/// <param name="Score">0..1: 1 or 0 for labels, the share of agreeing top-level fields for JSON, token F1 for text.</param>
/// <param name="Judge">The record is the judge's call that graded the candidate's answer: evaluation cost of that candidate, not a sample.</param>
public sealed record ShadowEvaluation(string Candidate, bool Scored, bool Valid, bool Agreed, double Score, bool Judge = false);
