-- Why a reply failed, as a code the web app translates (the English sentence stays in deliveryError).
ALTER TABLE "Message" ADD COLUMN "deliveryErrorCode" TEXT;
