"""Who knows whom: the link graph, its connectors and circles, referral chains, how people first met us,
and a person's neighbourhood for drawing. Plain Python over core (no Qt); slow functions follow
core.jobs (progress, cancelled). See docs/network.md."""
