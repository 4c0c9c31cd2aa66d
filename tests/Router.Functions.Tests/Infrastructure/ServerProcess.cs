using System.Diagnostics;
using System.Globalization;

namespace Router.Functions.Tests.Infrastructure;

/// <summary>
/// A server process a test starts (Azurite, the Aspire dashboard), in its own session and process
/// group, watched by a watchdog: a detached shell that kills the server's group as soon as the
/// owner (the test process) is gone, whatever ended it (SIGKILL, a crash, a hang timeout).
/// A server that does not become ready within <see cref="ReadyTimeout"/> is killed before the
/// failure is reported. Freeze/Thaw (SIGSTOP/SIGCONT) simulate a hung server.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    // $1 = owner pid, $2 = server pid (= its process group: it leads a session of its own).
    // "alive" treats a zombie as gone: a SIGKILLed test host whose parent has not reaped it yet.
    // Signals from the terminal are ignored and its output goes nowhere (a pipe to a dead test
    // host would end it with SIGPIPE): the watchdog must outlive whatever ended the test run.
    private const string WatchdogScript =
        "trap '' INT HUP TERM PIPE; exec </dev/null >/dev/null 2>&1; " +
        "alive() { read -r s 2>/dev/null < /proc/$1/stat || return 1; s=${s##*) }; [ \"${s%% *}\" != Z ]; }; " +
        "while alive \"$1\" && alive \"$2\"; do sleep 1; done; " +
        "if alive \"$2\"; then kill -KILL -\"$2\" \"$2\" 2>/dev/null; fi";

    private const int OutputLines = 200;

    private readonly Process _process;
    private readonly Process _watchdog;
    private readonly Queue<string> _output = new();

    private ServerProcess(string name, Process process, Process watchdog)
    {
        Name = name;
        _process = process;
        _watchdog = watchdog;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public int WatchdogId => _watchdog.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Whether process <paramref name="processId"/> runs (a zombie counts as gone), read from /proc
    /// like the watchdog does: for tests of these rules.
    /// </summary>
    public static bool IsAlive(int processId)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{processId}/stat");
        }
        catch (IOException)
        {
            return false;
        }

        var state = stat[(stat.LastIndexOf(')') + 2)..];
        return state.Length > 0 && state[0] != 'Z';
    }

    /// <summary>The /proc state letter of the server (R, S, T when frozen...), or null when gone.</summary>
    public char? State
    {
        get
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{Id}/stat");
                return stat[stat.LastIndexOf(')') + 2];
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    /// <summary>The last lines the server wrote (stdout and stderr), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts <paramref name="start"/> and waits until <paramref name="ready"/> says yes.</summary>
    /// <param name="ownerProcessId">The process whose end kills the server; the test process unless a test proves the watchdog.</param>
    /// <param name="readyTimeout">Overrides <see cref="ReadyTimeout.Value"/> (for the test of this rule).</param>
    public static async Task<ServerProcess> StartAsync(string name, ProcessStartInfo start, Func<CancellationToken, Task<bool>> ready, int? ownerProcessId = null, TimeSpan? readyTimeout = null)
    {
        // setsid: the server leads its own process group (one kill reaches all it spawns) and no
        // terminal signal aimed at the test run reaches it behind the watchdog's back.
        var wrapped = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = start.WorkingDirectory,
        };
        wrapped.ArgumentList.Add(start.FileName);
        foreach (var argument in start.ArgumentList)
        {
            wrapped.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in start.Environment)
        {
            wrapped.Environment[key] = value;
        }

        var process = Process.Start(wrapped) ?? throw new InvalidOperationException($"{name} did not start.");
        Process watchdog;
        try
        {
            watchdog = StartWatchdog(ownerProcessId ?? Environment.ProcessId, process.Id);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }

        var server = new ServerProcess(name, process, watchdog);
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await server.WaitReadyAsync(ready, readyTimeout ?? ReadyTimeout.Value);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// SIGSTOP: the server keeps its sockets open and answers nothing, like a hung storage account.
    /// Returns once the kernel shows it stopped (that waits for it to be scheduled on a busy machine).
    /// </summary>
    public async Task FreezeAsync()
    {
        await SignalAsync("-STOP");
        var started = TimeProvider.System.GetTimestamp();
        while (State is not ('T' or null))
        {
            if (TimeProvider.System.GetElapsedTime(started) > ReadyTimeout.Value)
            {
                throw new InvalidOperationException($"{Name} (pid {Id}) did not stop within {ReadyTimeout.Value.TotalSeconds:0} s of SIGSTOP.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>A signal to the server's whole process group (as a terminal's Ctrl-C sends SIGINT to every process of the job).</summary>
    public Task SignalGroupAsync(string signal) => SignalAsync(signal);

    /// <summary>A signal to the server process alone (as <c>kill pid</c> does).</summary>
    public async Task SignalProcessAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [signal, Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false, RedirectStandardError = true })
            ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits for the server to exit by itself; false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL to the server's group, no chance to flush anything; returns once it is gone.</summary>
    public async Task KillAsync()
    {
        await SignalAsync("-KILL");
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGCONT: the frozen server carries on where it stopped.</summary>
    public Task ThawAsync() => SignalAsync("-CONT");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            KillGroup();
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone with its group.
            }

            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        // The watchdog sees the server gone within a second and exits by itself; no need to wait.
        _watchdog.Dispose();
    }

    private static Process StartWatchdog(int ownerProcessId, int serverProcessId)
    {
        var start = new ProcessStartInfo("setsid")
        {
            ArgumentList =
            {
                "sh", "-c", WatchdogScript, "router-test-watchdog",
                ownerProcessId.ToString(CultureInfo.InvariantCulture),
                serverProcessId.ToString(CultureInfo.InvariantCulture),
            },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(start) ?? throw new InvalidOperationException("The watchdog did not start.");
    }

    private async Task WaitReadyAsync(Func<CancellationToken, Task<bool>> ready, TimeSpan timeout)
    {
        var started = TimeProvider.System.GetTimestamp();
        using var deadline = new CancellationTokenSource(timeout);
        while (!deadline.IsCancellationRequested)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} while starting. Output:\n{Output}");
            }

            try
            {
                if (await ready(deadline.Token))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or HttpRequestException or OperationCanceledException or IOException)
            {
                // Not listening yet.
            }

            try
            {
                await Task.Delay(100, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        throw new ServerNotReadyException(
            $"{Name} (pid {Id}) was not ready within {timeout.TotalSeconds:0.#} s ({TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.#} s waited; set {ReadyTimeout.EnvironmentVariable} to wait longer); it was killed. Output:\n{Output}",
            Id);
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > OutputLines)
            {
                _output.Dequeue();
            }
        }
    }

    private void KillGroup()
    {
        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-KILL", "--", "-" + Id.ToString(CultureInfo.InvariantCulture)])
            {
                UseShellExecute = false,
                RedirectStandardError = true,
            });
            kill?.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No kill binary: Process.Kill below still ends the server itself.
        }
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [signal, "--", "-" + Id.ToString(CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("kill did not start.");
        var error = kill.StandardError.ReadToEndAsync();
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {Name} (pid {Id}) failed: {await error}");
        }
    }
}
