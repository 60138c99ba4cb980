package com.kontroltravel.oc.model;

/**
 * Where a parsed value came from.
 *
 * @param page the 1-based page number
 * @param text the raw text the value was read from
 * @param rule the name of the extraction rule that matched
 */
public record FieldProvenance(int page, String text, String rule) {}
