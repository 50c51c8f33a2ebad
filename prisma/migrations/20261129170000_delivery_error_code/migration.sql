-- Why a reply failed, as a code the web app translates (the English sentence stays in deliveryError).
ALTER TABLE "Message" ADD COLUMN "deliveryErrorCode" TEXT;

-- Why a guard action went as it did, as a code the web app translates (the English stays in detail).
ALTER TABLE "GuardAction" ADD COLUMN "detailCode" TEXT;
