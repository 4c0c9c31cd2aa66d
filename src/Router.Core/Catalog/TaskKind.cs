namespace Router.Core.Catalog;

public enum TaskKind { Classification, Extraction, Generation, Knowledge }
