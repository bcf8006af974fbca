using Microsoft.AspNetCore.Authorization;

namespace Recs.Web.Authentication;

/// <summary>The requirement behind <see cref="RecsPolicies.Admin"/>.</summary>
public sealed class AdminRequirement : IAuthorizationRequirement;
