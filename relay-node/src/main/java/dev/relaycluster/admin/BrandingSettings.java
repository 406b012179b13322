package dev.relaycluster.admin;

/**
 * How the admin UI names itself: the site name and icon in force ({@code iconUrl} null: the built-in icon), the
 * operator's default name ({@code WEB_TITLE}), and whether the admin settings override the default.
 */
public record BrandingSettings(String siteName, String iconUrl, String defaultSiteName, boolean overridden) {}
