package com.kontroltravel.oc.model;

import java.util.List;

/**
 * One page of results.
 *
 * @param items the rows of this page
 * @param total how many rows match in all
 * @param offset the offset of the first row
 * @param <T> the row type
 */
public record Page<T>(List<T> items, long total, int offset) {
  /** Copies the list. */
  public Page {
    items = List.copyOf(items);
  }
}
