package com.kontroltravel.oc;

/**
 * One agency's bookings, for the per-agency summary of dashboards.
 *
 * @param agency the configured agency's name, or the name as written on bookings whose agency is
 *     not configured
 * @param configured whether the agency is configured
 * @param total its bookings
 * @param received those whose OC was received
 * @param chasing those being chased (a request or reminder sent, no OC yet)
 * @param attention those a person must look at
 */
public record AgencySummary(
    String agency, boolean configured, long total, long received, long chasing, long attention) {}
