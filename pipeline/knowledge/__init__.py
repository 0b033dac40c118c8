"""Open domain knowledge: build the tables from local copies of public lists, load, evaluate."""
