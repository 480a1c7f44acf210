package dev.meshpilot.xds.inspect;

/** istioctl's route filter ({@code --name}): the route configuration's exact name. */
public record RouteFilter(String name) {

    public static final RouteFilter ALL = new RouteFilter("");

    public RouteFilter {
        name = name == null ? "" : name;
    }

    public boolean matches(String routeName) {
        return name.isEmpty() || name.equals(routeName);
    }
}
