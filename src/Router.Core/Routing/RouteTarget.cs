namespace Router.Core.Routing;

public enum RouteTarget { Large, Small }
