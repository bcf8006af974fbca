using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Recs.Web.Components;

/// <summary>
/// Counts the Blazor Server circuits (open pages) this instance holds: opened and not yet closed. What one circuit
/// costs decides how many listeners an instance serves (issue 15); <c>bench --circuits</c> and the leak test read it.
/// </summary>
public sealed class CircuitCounter : CircuitHandler
{
    private int _open;
    private long _opened;

    /// <summary>Circuits open now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Circuits opened since start.</summary>
    public long Opened => Interlocked.Read(ref _opened);

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _open);
        Interlocked.Increment(ref _opened);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Decrement(ref _open);
        return Task.CompletedTask;
    }
}
