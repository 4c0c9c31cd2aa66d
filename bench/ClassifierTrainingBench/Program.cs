using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Router.Core.Catalog;
using Router.Core.Classifier;
using Router.Core.Tests.Classifier;

// Trains the local classifier the way POST /api/distillation/{task}/train does (ClassifierTrainer, the
// keyword corpus the emulator labels) on SAMPLES samples, once, in a fresh process, and prints the
// training seconds, the held-out accuracy, the model's size and the process's peak working set.
// Usage: dotnet <dll> <samples> <sdca|lbfgs>     (bench/classifier-training.sh runs a few sizes)
var samples = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000;
var trainer = args.Length > 1 ? ClassifierAlgorithmNames.Parse(args[1]) ?? ClassifierAlgorithm.SdcaMaximumEntropy : ClassifierAlgorithm.SdcaMaximumEntropy;
var settings = new ClassifierSettings(trainer, MinSamples: 100, HoldOutFraction: 0.2, Seed: 42);
var rows = KeywordCorpus.Generate(samples, seed: 7)
    .Select(c => new LabelledText(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(c.Text))), c.Text, c.Label))
    .ToArray();

using var process = Process.GetCurrentProcess();
process.Refresh();
var before = process.PeakWorkingSet64;
var started = TimeProvider.System.GetTimestamp();
var artefact = ClassifierTrainer.Train("bench-classifier", "bench", KeywordCorpus.Labels, rows, settings, TimeProvider.System);
var elapsed = TimeProvider.System.GetElapsedTime(started);
process.Refresh();
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"samples={samples} trainer={trainer.ToWire()} seconds={elapsed.TotalSeconds:0.00} accuracy={artefact.Info.Metrics.Accuracy:0.000} modelKiB={artefact.Model.Length / 1024} peakWorkingSetMiB={process.PeakWorkingSet64 / (1024 * 1024)} beforeTrainingMiB={before / (1024 * 1024)} allocatedMiB={GC.GetTotalAllocatedBytes() / (1024 * 1024)}"));
