package dev.relaycluster.alerts;

/** How delivering one alert to one target ended: delivered or not, after how many attempts, and why not. */
public record DeliveryResult(boolean delivered, int attempts, String error) {}
