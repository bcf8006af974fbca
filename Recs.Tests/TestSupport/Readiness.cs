using System.Net;

namespace Recs.Tests.TestSupport;

/// <summary>Waits for an app to report ready (<c>/health/ready</c>: 200 once the database answers and the active model is loaded).</summary>
public static class Readiness
{
    /// <summary>Polls <c>/health/ready</c> until it answers 200 (at most <paramref name="timeout"/>, default 60 s); returns that response.</summary>
    public static async Task<HttpResponseMessage> WaitUntilReadyAsync(HttpClient client, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var response = await client.GetAsync("/health/ready");
            if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                return response;
            }

            await Task.Delay(50);
        }
    }
}
