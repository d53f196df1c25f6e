"""The keys of the plan's targets, so a typo fails at import time rather than at runtime.
The values live in the database (seeded by migration 0002), never here."""

from __future__ import annotations

from enum import StrEnum


class TargetKey(StrEnum):
    TOWNSHIP_STATIONS = "township-stations"
    VILLAGE_COVERAGE = "village-service-coverage"
    COURIERS_INTEGRATED = "couriers-integrated"
    DELIVERY_COST_REDUCTION = "delivery-cost-reduction"
    DELIVERY_TIME_IMPROVEMENT = "delivery-timeliness-improvement"
    TOWNSHIP_EXPRESS_COVERAGE = "township-express-coverage"
    PUBLIC_BRAND = "public-brand"
    QUALITY_BRANDS = "quality-brands"
    PACKAGING_STANDARDS = "graded-packaging-standards"
    SUPPLY_CHAIN_PRODUCTS = "supply-chain-products"
    ECOMMERCE_PARKS = "ecommerce-parks"
    EXHIBITIONS = "exhibitions"
    INFLUENCER_COMPANIES = "influencer-companies"
    INFLUENCER_FARMERS = "influencer-farmers"
    ONLINE_SPECIALTY_STORES = "online-specialty-stores"
    OFFLINE_SPECIALTY_STORE = "offline-specialty-store"
    SERVICE_CENTRE_ENTERPRISES = "service-centre-enterprises"
    OPERATIONS_TEAM = "operations-team"
    SALONS_PER_YEAR = "salons-per-year"
    TRAINING_PERSON_TIMES = "training-person-times"
    CENTRAL_FUND = "central-fund"
    FUND_SHARE_LOGISTICS = "fund-share-logistics"
    FUND_SHARE_PUBLIC_SERVICE = "fund-share-public-service"
    FUND_SHARE_AGRICULTURAL_PRODUCTS = "fund-share-agricultural-products"
    FUND_SHARE_TRAINING = "fund-share-training"
