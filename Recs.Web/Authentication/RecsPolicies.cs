namespace Recs.Web.Authentication;

/// <summary>Named authorization policies: <c>[Authorize(Policy = RecsPolicies.Admin)]</c> or <c>.RequireAuthorization(RecsPolicies.Admin)</c>.</summary>
public static class RecsPolicies
{
    /// <summary>
    /// Admins: a signed-in user whose account id is in <c>Recs:Admins</c>, plus the demo listener in demo mode.
    /// Anonymous users are sent to sign in (401 for API endpoints); other signed-in users get 403.
    /// </summary>
    public const string Admin = "Admin";
}
